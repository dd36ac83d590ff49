// Closed-form fold timing: hand-derived cycle counts, with the arithmetic beside each assertion,
// and SCALE-Sim v2's measured cycle counts.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sim/systolic/fold_timing.h"

namespace catsim {
namespace {

constexpr ArrayShape k32{32, 32};
constexpr GemmShape kGemm64{64, 64, 64};

std::uint64_t cycles(Dataflow d, ArrayTiming t, ArrayShape a, GemmShape g, double p = 1) {
  return array_cycles(d, t, a, g, p);
}

TEST(FoldTiming, MappingFollowsScaleSim) {
  // bert_proj M=128, N=768, K=768 on 32x32.
  const FoldPlan os = plan_folds(Dataflow::os, k32, {128, 768, 768}, 1);
  EXPECT_EQ(os.spatial_rows, 128);  // Sr = M
  EXPECT_EQ(os.spatial_cols, 768);  // Sc = N
  EXPECT_EQ(os.stream, 768);        // T = K
  EXPECT_EQ(os.row_folds, 4);       // 128 / 32
  EXPECT_EQ(os.col_folds, 24);      // 768 / 32
  EXPECT_EQ(os.folds, 96);
  EXPECT_EQ(os.per_fold_cycles, 830);  // 32 + 32 + 768 - 2
  const FoldPlan ws = plan_folds(Dataflow::ws, k32, {128, 768, 768}, 1);
  EXPECT_EQ(ws.spatial_rows, 768);     // Sr = K
  EXPECT_EQ(ws.spatial_cols, 768);     // Sc = N
  EXPECT_EQ(ws.stream, 128);           // T = M
  EXPECT_EQ(ws.per_fold_cycles, 222);  // 2*32 + 32 + 128 - 2
  const FoldPlan is = plan_folds(Dataflow::is, k32, {128, 768, 768}, 1);
  EXPECT_EQ(is.spatial_rows, 768);  // Sr = K
  EXPECT_EQ(is.spatial_cols, 128);  // Sc = M
  EXPECT_EQ(is.stream, 768);        // T = N
  EXPECT_EQ(is.folds, 96);          // 24 * 4
}

TEST(FoldTiming, ScalesimHandDerived) {
  // OS 32x32, M=N=K=64: 2*2 folds * (32+32+64-2) = 504; SCALE-Sim reports 503
  EXPECT_EQ(cycles(Dataflow::os, ArrayTiming::scalesim, k32, kGemm64), 504u);
  // WS 32x32, M=N=K=64: 2*2 folds * (2*32+32+64-2) = 632; SCALE-Sim reports 631
  EXPECT_EQ(cycles(Dataflow::ws, ArrayTiming::scalesim, k32, kGemm64), 632u);
  EXPECT_EQ(cycles(Dataflow::is, ArrayTiming::scalesim, k32, kGemm64), 632u);
  // 1x1 array, M=N=K=1: 1 fold * (1+1+1-2) = 1 (OS); 1 * (2+1+1-2) = 2 (WS)
  EXPECT_EQ(cycles(Dataflow::os, ArrayTiming::scalesim, {1, 1}, {1, 1, 1}), 1u);
  EXPECT_EQ(cycles(Dataflow::ws, ArrayTiming::scalesim, {1, 1}, {1, 1, 1}), 2u);
}

// scalesim_v2_reference.csv (docs/shared reference, SCALE-Sim v2 @22f88b1, CALC bandwidth): total_cycles
// is our count minus 1.
TEST(FoldTiming, MatchesScaleSimReferenceRows) {
  struct Row {
    Dataflow dataflow;
    GemmShape gemm;
    std::uint64_t scalesim_cycles;
  };
  const Row rows[] = {
      {Dataflow::os, {64, 64, 64}, 503},       {Dataflow::ws, {64, 64, 64}, 631},
      {Dataflow::is, {64, 64, 64}, 631},       {Dataflow::os, {128, 768, 768}, 79679},
      {Dataflow::ws, {128, 768, 768}, 127871}, {Dataflow::is, {128, 768, 768}, 82751},
  };
  for (const Row& r : rows)
    EXPECT_EQ(cycles(r.dataflow, ArrayTiming::scalesim, k32, r.gemm) - 1, r.scalesim_cycles)
        << name_of(r.dataflow) << " M=" << r.gemm.m;
}

TEST(FoldTiming, PipelinedHandDerived) {
  // OS gemm64 on 32x32: F=4, T=64 >= R: T + (F-2)*max(T,R) + (T+R+C-2) = 64 + 2*64 + 126 = 318
  EXPECT_EQ(cycles(Dataflow::os, ArrayTiming::pipelined, k32, kGemm64), 318u);
  // WS/IS gemm64: R + (F-1)*max(T,R) + (T+R+C-2) = 32 + 3*64 + 126 = 350
  EXPECT_EQ(cycles(Dataflow::ws, ArrayTiming::pipelined, k32, kGemm64), 350u);
  EXPECT_EQ(cycles(Dataflow::is, ArrayTiming::pipelined, k32, kGemm64), 350u);
  // One fold: pipelined equals scalesim. OS 32x32 M=N=K=32: 32+32+32-2 = 94; WS 2*32+32+32-2 = 126
  EXPECT_EQ(cycles(Dataflow::os, ArrayTiming::pipelined, k32, {32, 32, 32}), 94u);
  EXPECT_EQ(cycles(Dataflow::ws, ArrayTiming::pipelined, k32, {32, 32, 32}), 126u);
}

TEST(FoldTiming, PipelinedShortStreamIsPaddedToR) {
  // WS 32x32, M=8 (T=8 < R), K=N=64: F=4; 32 + 3*max(8,32) + (8+32+32-2) = 32 + 96 + 70 = 198
  EXPECT_EQ(cycles(Dataflow::ws, ArrayTiming::pipelined, k32, {8, 64, 64}), 198u);
  // OS 32x32, K=8 (T=8 < R), M=N=64: F=4; fold 1 follows fold 0 after T (its shadows are empty):
  // 8 + (4-2)*max(8,32) + (8+32+32-2) = 8 + 64 + 70 = 142
  EXPECT_EQ(cycles(Dataflow::os, ArrayTiming::pipelined, k32, {64, 64, 8}), 142u);
  // OS, two folds, T < R: 8 + 0 + 70 = 78 (no wait at all)
  EXPECT_EQ(cycles(Dataflow::os, ArrayTiming::pipelined, k32, {64, 32, 8}), 78u);
}

TEST(FoldTiming, PackingShortensTheReduction) {
  // int4 at p=2, OS 32x32, M=N=K=64: T = ceil(64/2) = 32; 4 folds * (32+32+32-2) = 376
  EXPECT_EQ(plan_folds(Dataflow::os, k32, kGemm64, 2).stream, 32);
  EXPECT_EQ(cycles(Dataflow::os, ArrayTiming::scalesim, k32, kGemm64, 2), 376u);
  // WS p=2: Sr = ceil(64/2) = 32 -> 1 row fold, 2 col folds; 2 * (64+32+64-2) = 316
  EXPECT_EQ(plan_folds(Dataflow::ws, k32, kGemm64, 2).spatial_rows, 32);
  EXPECT_EQ(cycles(Dataflow::ws, ArrayTiming::scalesim, k32, kGemm64, 2), 316u);
  // p=4, K=65: ceil(65/4) = 17 packed rows (the last holds one real k)
  EXPECT_EQ(plan_folds(Dataflow::is, k32, {64, 64, 65}, 4).spatial_rows, 17);
}

TEST(FoldTiming, StretchingLengthensTheStream) {
  // fp32 at p=0.25, OS 32x32, M=N=K=64: T = 4*64 = 256; 4 * (32+32+256-2) = 1272
  EXPECT_EQ(plan_folds(Dataflow::os, k32, kGemm64, 0.25).stream, 256);
  EXPECT_EQ(cycles(Dataflow::os, ArrayTiming::scalesim, k32, kGemm64, 0.25), 1272u);
  // pipelined: 256 + 2*max(256,32) + (256+62) = 256 + 512 + 318 = 1086
  EXPECT_EQ(cycles(Dataflow::os, ArrayTiming::pipelined, k32, kGemm64, 0.25), 1086u);
  // WS p=0.5: T = 2*64 = 128; scalesim 4 * (64+32+128-2) = 888; pipelined 32 + 3*128 + 190 = 606
  EXPECT_EQ(cycles(Dataflow::ws, ArrayTiming::scalesim, k32, kGemm64, 0.5), 888u);
  EXPECT_EQ(cycles(Dataflow::ws, ArrayTiming::pipelined, k32, kGemm64, 0.5), 606u);
}

TEST(FoldTiming, PartialFoldCostsAFullFold) {
  // OS 32x32, M=33 (a 1-row second fold), N=1, K=10: 2 folds * (32+32+10-2) = 144
  EXPECT_EQ(cycles(Dataflow::os, ArrayTiming::scalesim, k32, {33, 1, 10}), 144u);
  // pipelined: T + 0*max + (T+R+C-2) = 10 + 72 = 82
  EXPECT_EQ(cycles(Dataflow::os, ArrayTiming::pipelined, k32, {33, 1, 10}), 82u);
  // WS 4x4, M=3, K=6, N=5: 2x2 folds * (8+4+3-2) = 52; pipelined 4 + 3*max(3,4) + (3+4+4-2) = 25
  EXPECT_EQ(cycles(Dataflow::ws, ArrayTiming::scalesim, {4, 4}, {3, 5, 6}), 52u);
  EXPECT_EQ(cycles(Dataflow::ws, ArrayTiming::pipelined, {4, 4}, {3, 5, 6}), 25u);
}

TEST(FoldTiming, NonSquareArray) {
  // IS on 8 rows x 16 cols, M=20, N=5, K=17: Sr=17 -> 3, Sc=20 -> 2, F=6, T=5
  // scalesim 6 * (16+16+5-2) = 210; pipelined 8 + 5*max(5,8) + (5+8+16-2) = 8 + 40 + 27 = 75
  EXPECT_EQ(cycles(Dataflow::is, ArrayTiming::scalesim, {8, 16}, {20, 5, 17}), 210u);
  EXPECT_EQ(cycles(Dataflow::is, ArrayTiming::pipelined, {8, 16}, {20, 5, 17}), 75u);
}

TEST(FoldTiming, ValidMacRate) {
  for (double p : {1.0, 2.0, 3.0, 4.0, 16.0, 0.5, 0.25, 1.0 / 3, 0.2, 0.125})
    EXPECT_TRUE(valid_mac_rate(p)) << p;
  for (double p :
       {0.0, -1.0, 1.5, 0.3, 0.75, 0.4, 2.5, std::nan(""), std::numeric_limits<double>::infinity()})
    EXPECT_FALSE(valid_mac_rate(p)) << p;
  EXPECT_EQ(mac_rate_factors(4).pack, 4);
  EXPECT_EQ(mac_rate_factors(0.2).stretch, 5);  // 1/0.2 is 5 within rounding
  EXPECT_THROW(mac_rate_factors(0.75), std::invalid_argument);
}

TEST(FoldTiming, RejectsEmptyShapes) {
  EXPECT_THROW(plan_folds(Dataflow::os, {0, 4}, kGemm64, 1), std::invalid_argument);
  EXPECT_THROW(plan_folds(Dataflow::os, k32, {64, 0, 64}, 1), std::invalid_argument);
  EXPECT_THROW(plan_folds(Dataflow::ws, k32, kGemm64, 1.5), std::invalid_argument);
}

}  // namespace
}  // namespace catsim
