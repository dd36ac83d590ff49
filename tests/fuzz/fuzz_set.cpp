// libFuzzer target: `--set` arguments (one per line of the input) parsed and applied to a small arch and
// a small transformer, then validated as a simulation would before running.

#include <sstream>
#include <vector>

#include "arch/arch_parser.h"
#include "carbon/report.h"
#include "tests/fuzz/fuzz_support.h"
#include "workloads/model_parser.h"
#include "workloads/op_graph.h"

namespace {

constexpr const char* kArch = R"(name: t
clock_mhz: 1000
systolic: {rows: 8, cols: 8, precisions: {int8: 1, fp16: 1}}
vector: {lanes: 8}
sram: {kib: 64, bytes_per_cycle: 32}
dram: {type: lpddr4, bandwidth_gbps: 10, capacity_gib: 1}
technology: {node_nm: 22}
)";
constexpr const char* kModel = R"(family: llama
layers: 2
hidden: 64
heads: 4
kv_heads: 2
ffn: 128
vocab: 100
max_positions: 64
workload: {batch: 1, seq_len: 16}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace catsim;
  static const std::string arch_file = fuzz::scratch_file("_arch.yaml", reinterpret_cast<const std::uint8_t*>(kArch),
                                                          std::char_traits<char>::length(kArch));
  static const std::string model_file = fuzz::scratch_file(
      "_model.yaml", reinterpret_cast<const std::uint8_t*>(kModel), std::char_traits<char>::length(kModel));
  std::vector<std::string> args;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  for (std::string line; std::getline(in, line) && args.size() < 16;) args.push_back(line);
  fuzz::expect_clean([&] {
    const auto overrides = parse_overrides(args);
    ArchSpec a = load_arch(arch_file, overrides);
    validate_energy_inputs(a);
    ModelSpec m = load_model(model_file, overrides);
    (void)lower(m).total_macs();
  });
  return 0;
}
