// A taller or wider array on one GEMM at a time (every shipped arch, transformer-sized shapes): operands
// still cross every row and column, so a larger array may be slower by filling and draining more, but it
// must never be slower while moving more DRAM bytes (a spill, re-read weights). The test also prints, per
// step, how far the time grew beyond the growth of the op's fill and drain (fill_drain_cycles): the part the
// mapper does not yet keep within that bound (issue 16).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

struct StepRun {
  std::int64_t cycles = 0, fill_drain = 0, dram = 0;
};

StepRun run(const std::string& arch, const std::string& model, const std::string& sets) {
  const test::RunResult r = test::run_catsim(test::arch_config(arch + ".yaml") + " " + model + " --json" + sets);
  EXPECT_EQ(r.exit_code, 0) << arch << " " << model << sets << ": " << r.err;
  if (r.exit_code != 0) return {};
  const nlohmann::json d = nlohmann::json::parse(r.out);
  const nlohmann::json& op = d["ops"][0];
  return {d["makespan_cycles"].get<std::int64_t>(), op["fill_drain_cycles"].get<std::int64_t>(),
          op["dram_bytes"].get<std::int64_t>()};
}

TEST(ShapeSteps, ALargerArrayIsNeverSlowerWhileMovingMoreBytes) {
  const char* archs[] = {"edge_npu", "tpuv1", "datacenter", "catransformers_baseline", "simba_like"};
  const std::vector<std::vector<int>> shapes = {{128, 768, 768}, {128, 3072, 768}, {197, 768, 768}, {64, 64, 64}};
  int steps = 0, beyond = 0;
  double worst = 0;
  std::string worst_step;
  for (const char* arch : archs) {
    const test::RunResult info = test::run_catsim("info " + test::arch_config(std::string(arch) + ".yaml") + " --json");
    ASSERT_EQ(info.exit_code, 0) << info.err;
    const nlohmann::json a = nlohmann::json::parse(info.out);
    const int rows = a["systolic"]["rows"].get<int>(), cols = a["systolic"]["cols"].get<int>();
    for (const std::vector<int>& s : shapes) {
      const std::string model = test::write_file(
          "shape_" + std::to_string(s[0]) + "_" + std::to_string(s[1]) + "_" + std::to_string(s[2]) + ".yaml",
          "kind: gemm\nprecision: int8\nm: " + std::to_string(s[0]) + "\nn: " + std::to_string(s[1]) +
              "\nk: " + std::to_string(s[2]) + "\n");
      const StepRun base = run(arch, model, "");
      const std::string taller = " --set arch.systolic.rows=" + std::to_string(2 * rows);
      const std::string wider = " --set arch.systolic.cols=" + std::to_string(2 * cols);
      for (const std::string& step : {taller, wider, taller + wider}) {
        const StepRun big = run(arch, model, step);
        ++steps;
        const std::string where = std::string(arch) + " " + model + step;
        if (big.cycles > base.cycles) {
          EXPECT_LE(big.dram, base.dram) << where << ": slower (" << base.cycles << " -> " << big.cycles
                                         << " cycles) while moving more DRAM bytes";
        }
        const std::int64_t excess = big.cycles - base.cycles - std::max<std::int64_t>(0, big.fill_drain - base.fill_drain);
        if (excess > 0) {
          ++beyond;
          const double share = static_cast<double>(excess) / static_cast<double>(base.cycles);
          if (share > worst) worst = share, worst_step = where;
        }
      }
    }
  }
  EXPECT_EQ(steps, 60);
  std::printf("%d of %d steps slower than their fill and drain growth; the worst by %.2f %% (%s)\n", beyond, steps,
              100 * worst, worst_step.c_str());
}

}  // namespace
}  // namespace catsim
