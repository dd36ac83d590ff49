// A larger array keeps a smaller array's core splits (sim/compile/core_split.cpp): its shares are cut at
// its own fold boundaries and at those of arrays 2 and 4 times smaller along a side, so every split of the
// smaller array (where its shares fit) is a candidate of the larger one too. Before, BERT's 128x768x768
// projection on 4 cores of 8 x 256 split N as 256 + 512 (whole 256-column folds) where the 128-column
// array split it 384 + 384: three identical projections ran 82,673 cycles against 66,870.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "arch/arch_parser.h"
#include "sim/compile/core_split.h"
#include "sim/compile/program_builder.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

using Bounds = std::vector<std::int64_t>;

// The share bounds of every split the design offers (one mapping each), with the cores it uses.
std::set<Bounds> split_bounds(const std::string& arch_file, const std::vector<std::string>& sets, const std::string& model) {
  const ArchSpec arch = load_arch(test::arch_config(arch_file), parse_overrides(sets));
  const ModelSpec spec = load_model(model);
  const OpGraph graph = lower(spec);
  ProgramBuilder context(arch, spec, graph);
  context.m_op = 0;
  const GemmProblem p = context.gemm_problem(graph.ops[0]);
  std::set<Bounds> out;
  for (const SplitOption& o : gemm_split_options(arch, p, 1)) {
    Bounds b{static_cast<std::int64_t>(o.split.axis), o.split.used};
    for (const GemmShare& s : o.split.shares) b.insert(b.end(), {s.inst0, s.inst1, s.m0, s.m1, s.n0, s.n1, s.k0, s.k1});
    out.insert(b);
  }
  return out;
}

TEST(CoreSplit, ALargerArrayKeepsTheSplitsOfArraysUpToFourTimesSmaller) {
  const std::vector<std::vector<int>> shapes = {{128, 768, 768}, {197, 3072, 768}, {128, 768, 3072}, {100, 300, 500}};
  int checked = 0;
  for (const char* arch : {"edge_npu.yaml", "tpuv1.yaml", "datacenter.yaml", "catransformers_baseline.yaml", "simba_like.yaml"}) {
    const ArchSpec base = load_arch(test::arch_config(arch));
    const int rows = base.systolic.rows, cols = base.systolic.cols;
    for (const std::vector<int>& s : shapes) {
      const std::string model = test::write_file(
          "split_" + std::to_string(s[0]) + "_" + std::to_string(s[1]) + "_" + std::to_string(s[2]) + ".yaml",
          "kind: gemm\nprecision: int8\nm: " + std::to_string(s[0]) + "\nn: " + std::to_string(s[1]) +
              "\nk: " + std::to_string(s[2]) + "\n");
      // 4 cores (every grid of M x N), a scratchpad every share fits in on every array.
      const std::vector<std::string> common = {"arch.cores=4", "arch.sram.kib=4096"};
      const std::set<Bounds> small = split_bounds(arch, common, model);
      ASSERT_FALSE(small.empty()) << arch;
      for (const auto& [r, c] : {std::pair{2, 1}, std::pair{1, 2}, std::pair{2, 2}, std::pair{4, 1}, std::pair{1, 4}}) {
        std::vector<std::string> sets = common;
        sets.push_back("arch.systolic.rows=" + std::to_string(r * rows));
        sets.push_back("arch.systolic.cols=" + std::to_string(c * cols));
        const std::set<Bounds> large = split_bounds(arch, sets, model);
        for (const Bounds& b : small)
          EXPECT_TRUE(large.count(b)) << arch << " " << s[0] << "x" << s[1] << "x" << s[2] << ": a split of the "
                                      << rows << "x" << cols << " array is missing on " << r * rows << "x" << c * cols;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 5 * 4 * 5);
}

}  // namespace
}  // namespace catsim
