// libFuzzer target: `--set` arguments (one per line of the input) parsed and applied to a small arch and
// a small transformer, then validated as a simulation would before running.

#include <sstream>
#include <vector>

#include "arch/arch_parser.h"
#include "carbon/report.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/set_target_base.h"
#include "workloads/model_parser.h"
#include "workloads/op_graph.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace catsim;
  auto file = [](const char* name, const char* text) {
    return fuzz::scratch_file(name, reinterpret_cast<const std::uint8_t*>(text), std::char_traits<char>::length(text));
  };
  static const std::string arch_file = file("_arch.yaml", fuzz::kSetArch);
  static const std::string model_file = file("_model.yaml", fuzz::kSetModel);
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
