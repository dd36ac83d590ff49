// Fold chains (sim/systolic/fold_chain.h): a chain of equal placements is the whole GEMM's closed form,
// the chunked closed form equals the chain stepped placement by placement, and command ends add up.

#include <gtest/gtest.h>

#include <random>

#include "sim/systolic/fold_chain.h"
#include "sim/systolic/fold_timing.h"

namespace catsim {
namespace {

constexpr Dataflow kDataflows[] = {Dataflow::os, Dataflow::ws, Dataflow::is};
constexpr ArrayTiming kTimings[] = {ArrayTiming::pipelined, ArrayTiming::scalesim};

TEST(FoldChain, EqualPlacementsAreTheWholeGemm) {
  for (Dataflow d : kDataflows)
    for (ArrayTiming t : kTimings)
      for (GemmShape g : {GemmShape{64, 64, 64}, GemmShape{197, 3072, 768}, GemmShape{1, 5, 300}, GemmShape{40, 24, 70}}) {
        const ArrayShape a{32, 16};
        const FoldPlan plan = plan_folds(d, a, g, 1.0);
        const std::vector<std::int64_t> slots(static_cast<std::size_t>(plan.folds), plan.stream);
        const std::uint64_t whole = array_cycles(d, t, a, g, 1.0);
        EXPECT_EQ(static_cast<std::uint64_t>(chain_folds(d, t, a, slots).end()), whole);
        EXPECT_EQ(chain_cycles(d, t, a, plan.folds, plan.stream), whole);
      }
  // 32x32 IS scalesim, 197x3072x768: Sr = 768 -> 24 row folds, Sc = 197 -> 7 column folds, T = 3072:
  // 168 folds x (2*32 + 32 + 3072 - 2) = 168 x 3166 = 531,888 (SCALE-Sim v2 prints 531,887, the last index).
  EXPECT_EQ(chain_cycles(Dataflow::is, ArrayTiming::scalesim, {32, 32}, 168, 3072), 531'888u);
}

TEST(FoldChain, ChunkedClosedFormEqualsTheSteppedChain) {
  std::random_device device;
  const unsigned fresh = device();
  for (unsigned seed : {1u, 2u, 3u, fresh}) {
    std::mt19937 rng(seed);
    for (int i = 0; i < 200; ++i) {
      const ArrayShape a{1 + static_cast<int>(rng() % 40), 1 + static_cast<int>(rng() % 40)};
      const std::int64_t folds = 1 + rng() % 6;
      const StreamChunks stream{static_cast<std::int64_t>(1 + rng() % 5), static_cast<std::int64_t>(1 + rng() % 80),
                                static_cast<std::int64_t>(1 + rng() % 80)};
      std::vector<std::int64_t> placements;  // tile by tile: chunk c of every fold, then chunk c + 1
      for (std::int64_t c = 0; c < stream.chunks; ++c)
        for (std::int64_t f = 0; f < folds; ++f) placements.push_back(c + 1 < stream.chunks ? stream.slots : stream.last_slots);
      for (Dataflow d : kDataflows)
        for (ArrayTiming t : kTimings)
          ASSERT_EQ(chunked_chain_cycles(d, t, a, folds, stream), static_cast<std::uint64_t>(chain_folds(d, t, a, placements).end()))
              << "seed " << seed << " case " << i;
    }
  }
}

TEST(FoldChain, CommandEndsSplitTheChain) {
  // 4x4 WS pipelined, three folds of T = 10: S = 4, 14, 24; end = 24 + 10 + 4 + 4 - 2 = 40.
  const FoldChain chain = chain_folds(Dataflow::ws, ArrayTiming::pipelined, {4, 4}, {10, 10, 10});
  EXPECT_EQ(chain.start(0), 4);
  EXPECT_EQ(chain.start(1), 14);
  EXPECT_EQ(chain.start(2), 24);
  EXPECT_EQ(chain.end(), 40);
  // The same chain as one run of three placements, and an OS chain whose first step is T0 (4x4, T = 2, 3):
  // S = 0, 2, 2 + max(3,4) = 6, end = 6 + 3 + 4 + 4 - 2 = 15.
  const FoldChain runs(Dataflow::ws, ArrayTiming::pipelined, {4, 4}, {{3, 10}});
  EXPECT_EQ(runs.start(2), 24);
  EXPECT_EQ(runs.end(), 40);
  const FoldChain os(Dataflow::os, ArrayTiming::pipelined, {4, 4}, {{2, 2}, {1, 3}});
  EXPECT_EQ(os.start(1), 2);
  EXPECT_EQ(os.start(2), 6);
  EXPECT_EQ(os.end(), 15);
  // Commands: fold 0 whole (ends 4 + 10 = 14), fold 1 up to slot 6 (14 + 6 = 20), the rest (the chain's end).
  EXPECT_EQ(command_ends(chain, {{0, 10}, {1, 6}, {2, 10}}), (std::vector<std::int64_t>{14, 20, 40}));
}

}  // namespace
}  // namespace catsim
