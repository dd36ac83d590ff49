// Which decode steps a generation simulates: all of them on request, a 9-point grid for a straight line,
// and more points exactly where the cost bends or jumps.

#include <gtest/gtest.h>

#include "sim/run/decode_sampling.h"

namespace catsim {
namespace {

TEST(DecodeSampling, EveryStepOnRequest) {
  int calls = 0;
  auto f = [&](std::int64_t kv) {
    ++calls;
    return StepCost{1e-3 * static_cast<double>(kv), 1.0};
  };
  auto s = sample_decode_steps(11, 110, f, true, 0.0025);
  EXPECT_EQ(s.size(), 100u);
  EXPECT_EQ(calls, 100);
}

TEST(DecodeSampling, StraightLineNeedsOnlyTheGridAndItsMidpoints) {
  auto f = [](std::int64_t kv) { return StepCost{1.0 + 0.01 * static_cast<double>(kv), 2.0}; };
  // kv 1..801: grid every 100 (9 points) + 8 midpoints that lie on the line = 17 simulations
  auto s = sample_decode_steps(1, 801, f, false, 0.0025);
  EXPECT_EQ(s.size(), 17u);
  EXPECT_DOUBLE_EQ(interpolate_step(s, 437).latency_s, 1.0 + 4.37);  // exact on a line
}

TEST(DecodeSampling, JumpIsBracketedToNeighbouringSteps) {
  // A tiling change at kv 523 adds 10 %: the sampler must end with samples at 522 and 523.
  auto f = [](std::int64_t kv) { return StepCost{kv >= 523 ? 1.1 : 1.0, 1.0}; };
  auto s = sample_decode_steps(1, 801, f, false, 0.0025);
  bool lo = false, hi = false;
  for (const auto& p : s) lo |= p.kv_len == 522, hi |= p.kv_len == 523;
  EXPECT_TRUE(lo && hi);
  for (std::int64_t kv = 1; kv <= 801; ++kv) EXPECT_NEAR(interpolate_step(s, kv).latency_s, f(kv).latency_s, 1e-12) << kv;
}

TEST(DecodeSampling, ShortRangesAreSimulatedWhole) {
  auto f = [](std::int64_t kv) { return StepCost{static_cast<double>(kv * kv), 0.0}; };
  EXPECT_EQ(sample_decode_steps(5, 21, f, false, 0.0025).size(), 17u);  // 16 intervals or fewer: every step
  EXPECT_THROW(sample_decode_steps(5, 4, f, false, 0.0025), std::invalid_argument);
}

}  // namespace
}  // namespace catsim
