// A hardware parameter must move the numbers the way the hardware would: more scratchpad, global buffer,
// DRAM bandwidth, vector lanes or cores never make a run slower. Each sweep runs the real command line.
// The mapper picks tiles by an estimate, not by simulating each candidate, so a larger scratchpad may pick
// a mapping that simulates a hair slower: the bound is kTolerance (README "Limits"; scripts/monotonicity.py
// runs the whole matrix of issue 16 and lists every step that goes the wrong way).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

constexpr double kTolerance = 0.005;

std::uint64_t cycles(const std::string& arch, const std::string& model, const std::string& set) {
  test::RunResult r = test::run_catsim(test::arch_config(arch + ".yaml") + " " + test::model_config(model + ".yaml") +
                                       " --json --set " + set);
  EXPECT_EQ(r.exit_code, 0) << set << ": " << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out)["cycles"].get<std::uint64_t>() : 0;
}

void sweep(const std::string& arch, const std::string& model, const std::string& key, const std::vector<std::string>& values) {
  std::vector<std::uint64_t> seen;
  for (const std::string& v : values) seen.push_back(cycles(arch, model, key + "=" + v));
  for (std::size_t i = 1; i < seen.size(); ++i)
    EXPECT_LE(static_cast<double>(seen[i]), (1 + kTolerance) * static_cast<double>(seen[i - 1]))
        << arch << " " << model << ": " << key << " " << values[i - 1] << " -> " << values[i] << " took " << seen[i - 1]
        << " -> " << seen[i] << " cycles";
}

TEST(Monotonicity, EdgeScratchpad) { sweep("edge_npu", "bert-base", "arch.sram.kib", {"64", "128", "256", "512", "1024", "2048"}); }
TEST(Monotonicity, EdgeBandwidth) { sweep("edge_npu", "bert-base", "arch.dram.bandwidth_gbps", {"6.4", "12.8", "25.6", "51.2"}); }
TEST(Monotonicity, EdgeLanes) { sweep("edge_npu", "bert-base", "arch.vector.lanes", {"8", "16", "32", "64", "128"}); }
TEST(Monotonicity, EdgeCores) { sweep("edge_npu", "bert-base", "arch.cores", {"1", "2", "4", "8"}); }
TEST(Monotonicity, DatacenterCores) { sweep("datacenter", "bert-base", "arch.cores", {"1", "2", "4", "8"}); }
TEST(Monotonicity, DatacenterGlobalBuffer) {
  sweep("datacenter", "bert-base", "arch.sram.global_kib", {"0", "4096", "16384", "65536"});
}
TEST(Monotonicity, BaselineScratchpad) {
  sweep("catransformers_baseline", "bert-base", "arch.sram.kib", {"64", "128", "256", "512", "1024"});
}
TEST(Monotonicity, BaselineCores) { sweep("catransformers_baseline", "bert-base", "arch.cores", {"1", "2", "4"}); }
TEST(Monotonicity, DecodeCores) { sweep("datacenter", "llama-3-8b-decode", "arch.cores", {"1", "2", "4", "8"}); }
// A larger array keeps every schedule of a smaller one (part-array folds), so it never spills partial sums
// the smaller array keeps on chip: `tpuv1` at 1024 columns ran Llama-2-7B prefill 6.2x slower than at 256,
// its WS partial sums spilled to DDR3 (7.8 -> 54.4 GB). The mapper runs only the best-estimated candidates
// through the engine, and at 1024 columns those of the causal attention skip fewer masked blocks than the
// 256-column choice: measured 179,466,222 -> 180,092,363 cycles (+0.35 %) and 7.750 -> 7.784 GB (+0.43 %),
// a gap the README's Limits name. Bounded here at 1 % of bytes and 1 % of time.
TEST(Monotonicity, WiderArrayKeepsTheNarrowerSchedule) {
  auto run = [](int cols) {
    test::RunResult r = test::run_catsim(
        test::arch_config("tpuv1.yaml") + " " + test::model_config("llama-2-7b-prefill.yaml") +
        " --json --set model.precision=int8 --set model.workload.seq_len=512 --set arch.dram.capacity_gib=32"
        " --set arch.systolic.cols=" + std::to_string(cols));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (r.exit_code != 0) return std::make_pair(std::uint64_t{0}, std::uint64_t{0});
    const auto j = nlohmann::json::parse(r.out);
    const auto& stats = j["stats"];
    return std::make_pair(j["cycles"].get<std::uint64_t>(), stats["dram_read_bytes"]["value"].get<std::uint64_t>() +
                                                                stats["dram_write_bytes"]["value"].get<std::uint64_t>());
  };
  const auto [narrow_cycles, narrow_bytes] = run(256);
  const auto [wide_cycles, wide_bytes] = run(1024);
  EXPECT_LE(static_cast<double>(wide_bytes), 1.01 * static_cast<double>(narrow_bytes));
  EXPECT_LE(static_cast<double>(wide_cycles), 1.01 * static_cast<double>(narrow_cycles))
      << narrow_cycles << " -> " << wide_cycles;
}

TEST(Monotonicity, SharedPortBandwidth) {
  // With the array on the scratchpad port, a wider port never slows a run, and once the port carries the
  // array's bytes and the DMA's at once the run equals the separate-port one.
  sweep("edge_npu", "bert-base", "arch.sram.array_port=shared --set arch.sram.bytes_per_cycle",
        {"64", "96", "128", "256", "1024"});
  EXPECT_EQ(cycles("edge_npu", "bert-base", "arch.sram.array_port=shared --set arch.sram.bytes_per_cycle=1024"),
            cycles("edge_npu", "bert-base", "arch.sram.array_port=separate --set arch.sram.bytes_per_cycle=1024"));
  EXPECT_GT(cycles("edge_npu", "bert-base", "arch.sram.array_port=shared"),
            cycles("edge_npu", "bert-base", "arch.sram.array_port=separate"));
}

}  // namespace
}  // namespace catsim
