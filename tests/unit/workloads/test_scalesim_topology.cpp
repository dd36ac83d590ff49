// SCALE-Sim v2 topology CSVs: GEMM rows with trailing commas, convolutions lowered to GEMM as SCALE-Sim
// lowers them (M = output pixels, N = filters, K = filter height x width x channels), depthwise layers one
// GEMM per channel, and one-line errors with the line number for malformed rows.

#include <gtest/gtest.h>

#include "arch/config/error.h"
#include "workloads/scalesim_topology.h"

namespace catsim {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_scalesim_topology(text, "t.csv");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ScaleSimTopology, GemmRowsWithTrailingCommas) {
  const auto g = parse_scalesim_topology("Layer Name, M, N, K,\nTest 1, 256, 128, 256,\n\nproj,128,768,768\n", "t.csv");
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].name, "Test 1");
  EXPECT_EQ(g[0].m, 256);
  EXPECT_EQ(g[0].n, 128);
  EXPECT_EQ(g[0].k, 256);
  EXPECT_EQ(g[1].name, "proj");
  EXPECT_EQ(g[1].k, 768);
}

TEST(ScaleSimTopology, ConvolutionLoweredAsScaleSim) {
  const auto g = parse_scalesim_topology(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
      "Conv1, 224, 224, 7, 7, 3, 64, 2,\n"
      "Inc5b_3x3, 7, 7, 3, 3, 192, 384, 1,\n",
      "t.csv");
  ASSERT_EQ(g.size(), 2u);
  // ofmap side = ceil((224 - 7 + 2) / 2) = ceil(109.5) = 110 -> M = 110 x 110 = 12,100; K = 7 x 7 x 3 = 147
  EXPECT_EQ(g[0].m, 12'100);
  EXPECT_EQ(g[0].n, 64);
  EXPECT_EQ(g[0].k, 147);
  // (7 - 3 + 1) / 1 = 5 -> M = 25; K = 3 x 3 x 192 = 1,728
  EXPECT_EQ(g[1].m, 25);
  EXPECT_EQ(g[1].n, 384);
  EXPECT_EQ(g[1].k, 1'728);
}

TEST(ScaleSimTopology, SeparateStrideWidth) {
  // 9 columns: stride height 1, width 2: ofmap 6 x ceil((10 - 3 + 2) / 2) = 6 x 5 = 30 pixels
  const auto g = parse_scalesim_topology(
      "Layer, H, W, R, S, C, F, Stride h, Stride w,\nc, 8, 10, 3, 3, 2, 4, 1, 2,\n", "t.csv");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].m, 30);
  EXPECT_EQ(g[0].k, 18);
}

TEST(ScaleSimTopology, DepthwiseIsOneGemmPerChannel) {
  // 4 channels of an 8x8 map, 3x3 filter: 4 GEMMs of M = 6 x 6 = 36, N = 1, K = 9
  const auto g = parse_scalesim_topology(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
      "DP1, 8, 8, 3, 3, 4, 1, 1,\n",
      "t.csv");
  ASSERT_EQ(g.size(), 4u);
  EXPECT_EQ(g[3].name, "DP1Channel_3");
  EXPECT_EQ(g[3].m, 36);
  EXPECT_EQ(g[3].n, 1);
  EXPECT_EQ(g[3].k, 9);
}

TEST(ScaleSimTopology, BadRowsNameTheLine) {
  EXPECT_EQ(error_of("Layer, M, N, K,\na, 1, 2, 3,\nb, 4, x, 6,\n").rfind("t.csv:3:1: N: 'x' is not an integer", 0), 0u);
  EXPECT_NE(error_of("Layer, M, N, K,\na, 1, 0, 3,\n").find("t.csv:2:1: N:"), std::string::npos);
  EXPECT_NE(error_of("Layer, M, N, K,\na, 1, 2,\n").find("t.csv:2:1: row has 3 fields (expected 4)"), std::string::npos);
  EXPECT_NE(error_of("Layer, M, N,\na, 1, 2,\n").find("t.csv:1:1: header has 3 columns"), std::string::npos);
  EXPECT_NE(error_of("Layer, M, N, K,\n").find("no layers"), std::string::npos);
  EXPECT_NE(error_of("Layer, M, N, K,\na, 1, 2, 3, 4, 5,\n").find("t.csv:2:1: row has 6 fields"), std::string::npos);
  EXPECT_NE(error_of("L, H, W, R, S, C, F, St,\nc, 3, 8, 5, 3, 1, 1, 1,\n").find("t.csv:2:1: R: filter height exceeds"),
            std::string::npos);
}

}  // namespace
}  // namespace catsim
