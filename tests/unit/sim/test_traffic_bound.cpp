// DRAM traffic of the compiled mapping against a brute force written independently of the mapper: every
// tiling of a 2048x4096x4096 FP16 GEMM into power-of-two tiles (M, N from one 128-fold, K from 1) in every
// loop order, double-buffered in the scratchpad, with the textbook reuse rule: a tensor is re-read once
// per iteration of each loop that does not index it and sits outside its innermost indexing loop; an
// output whose K loop sits outside spills partial sums (accumulator width, written and read back).

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "sim/run/simulation.h"
#include "tests/support/arch_text.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

using u64 = std::uint64_t;
constexpr u64 kM = 2048, kN = 4096, kK = 4096, kElem = 2, kAcc = 4;

u64 brute_force_min_bytes(u64 scratchpad) {
  u64 best = ~u64{0};
  for (u64 tm = 128; tm <= kM; tm *= 2)
    for (u64 tn = 128; tn <= kN; tn *= 2)
      for (u64 tk = 1; tk <= kK; tk *= 2) {
        if (2 * (kElem * tm * tk + kElem * tk * tn + kAcc * tm * tn) > scratchpad) continue;
        std::array<char, 3> order{'k', 'm', 'n'};  // outer to inner
        do {
          const u64 trips[3] = {kM / tm, kN / tn, kK / tk};  // m, n, k
          auto at = [&](char d) { return static_cast<int>(std::find(order.begin(), order.end(), d) - order.begin()); };
          auto trip = [&](char d) { return trips[d == 'm' ? 0 : d == 'n' ? 1 : 2]; };
          // Reads of a tensor indexed by loops a and b: its size times the trips of the other loop if that
          // loop is outside the innermost of a and b.
          auto reads = [&](char a, char b, char other, u64 size) {
            return at(other) < std::max(at(a), at(b)) ? size * trip(other) : size;
          };
          const u64 a = reads('m', 'k', 'n', kM * kK * kElem), b = reads('k', 'n', 'm', kK * kN * kElem);
          const bool spills = at('k') < std::max(at('m'), at('n'));
          const u64 c = kM * kN * kElem + (spills ? 2 * (trips[2] - 1) * kM * kN * kAcc : 0);
          best = std::min(best, a + b + c);
        } while (std::next_permutation(order.begin(), order.end()));
      }
  return best;
}

TEST(TrafficBound, WithinOneAndAHalfOfTheBruteForce) {
  // One datacenter core, 4 MiB scratchpad, no global buffer: every byte goes to DRAM. The brute force's best
  // is 512x512 output tiles with K innermost: A 16 MiB x 8 + B 32 MiB x 4 + C 16 MiB = 272 MiB.
  const u64 best = brute_force_min_bytes(4u << 20);
  EXPECT_EQ(best, 272u << 20);
  const ArchSpec arch = test::arch_from_text(
      "traffic", test::slurp(std::string(CATSIM_SOURCE_DIR) + "/configs/arch/datacenter.yaml"),
      {"arch.cores=1", "arch.sram.global_kib=0"});
  const SimulationResult r = run_simulation(
      arch, load_model(test::write_file("big.yaml", "kind: gemm\nprecision: fp16\nm: 2048\nn: 4096\nk: 4096\n")));
  const u64 moved = r.ops[0].dram_read_bytes + r.ops[0].dram_write_bytes;
  EXPECT_LE(static_cast<double>(moved), 1.5 * static_cast<double>(best)) << moved << " bytes moved";
}

TEST(TrafficBound, StagedThroughTheGlobalBufferReachesTheFloor) {
  // The shipped datacenter part (4 cores, 64 MiB global buffer): each operand leaves DRAM once and the
  // result is written once: 16 + 32 + 16 MiB, the compulsory traffic no mapping can beat.
  const ArchSpec arch = test::arch_from_text(
      "staged", test::slurp(std::string(CATSIM_SOURCE_DIR) + "/configs/arch/datacenter.yaml"));
  const SimulationResult r = run_simulation(
      arch, load_model(test::write_file("big.yaml", "kind: gemm\nprecision: fp16\nm: 2048\nn: 4096\nk: 4096\n")));
  EXPECT_EQ(r.ops[0].dram_read_bytes + r.ops[0].dram_write_bytes, 64u << 20);
  EXPECT_EQ(r.ops[0].compulsory_dram_bytes, 64u << 20);
}

}  // namespace
}  // namespace catsim
