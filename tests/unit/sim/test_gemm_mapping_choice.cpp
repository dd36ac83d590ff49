// The GEMM mapper's choice (sim/compile/gemm_mapping.h) against a plain reading of its rule over the whole
// search space: among the mappings within 4 % of the fastest estimate (none with ideal DRAM), the first
// with the lowest (byte cost, loads, estimate); part-array folds ranked apart, taken where faster; with
// ideal memory, the timed memory's pick where it has the least array time. Random problems, arrays,
// scratchpads and memories; each run draws a fresh seed (printed on failure) beside fixed regression seeds.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "sim/compile/gemm_mapping.h"

namespace catsim {
namespace {

struct MappingDraw {
  ArchSpec arch;
  GemmProblem p;
  double bw = 0;
  std::string what;
};

MappingDraw draw_mapping(std::mt19937& rng) {
  auto pick = [&](auto... xs) {
    const std::common_type_t<decltype(xs)...> v[] = {xs...};
    return v[rng() % sizeof...(xs)];
  };
  // Sizes from 1 to a few thousand, small ones as likely as large ones.
  auto size = [&](int max_log2) { return std::int64_t{1} + static_cast<std::int64_t>(rng() % (2u << (rng() % max_log2))); };
  MappingDraw d;
  ArchSpec& a = d.arch;
  a.clock_mhz = pick(500.0, 800.0, 1000.0, 1400.0);
  a.systolic.rows = static_cast<int>(size(7)), a.systolic.cols = static_cast<int>(size(7));
  a.systolic.dataflow = pick(Dataflow::os, Dataflow::ws, Dataflow::is);
  a.systolic.timing = pick(ArrayTiming::pipelined, ArrayTiming::scalesim);
  a.sram.kib = pick(0.25, 1.0, 4.0, 16.0, 64.0, 256.0, 512.0, 4096.0);
  if (rng() % 3 == 0) {  // SCALE-Sim-style split scratchpad
    a.sram.ifmap_kib = pick(0.25, 2.0, 16.0, 128.0, 1024.0);
    a.sram.weight_kib = pick(0.25, 2.0, 16.0, 128.0, 1024.0);
    a.sram.ofmap_kib = pick(0.25, 2.0, 16.0, 128.0, 1024.0);
  }
  a.dram.model = rng() % 4 == 0 ? DramModel::ideal : DramModel::timed;
  a.dram.latency_ns = pick(0.0, 10.0, 45.0, 120.0);
  GemmProblem& p = d.p;
  p.m = size(12), p.n = size(12), p.k = size(12);
  p.instances = rng() % 3 == 0 ? size(5) : 1;
  p.a = pick(Precision::fp32, Precision::fp16, Precision::bf16, Precision::int8, Precision::int4);
  p.b = pick(Precision::fp32, Precision::fp16, Precision::bf16, Precision::int8, Precision::int4);
  p.out = pick(Precision::fp32, Precision::fp16, Precision::bf16, Precision::int8, Precision::int4);
  p.acc_bits = pick(16, 24, 32);
  p.rate = pick(1.0, 2.0, 4.0, 0.5, 0.25);
  p.a_on_chip = rng() % 3 == 0, p.b_on_chip = rng() % 3 == 0, p.c_on_chip = rng() % 3 == 0;
  p.psum_on_chip = rng() % 3 == 0, p.staged = rng() % 2 == 0;
  p.global_bytes_per_cycle = pick(0.0, 32.0, 256.0);
  if (rng() % 3 == 0) {  // attention under a causal mask, possibly stacked heads, cached tokens, a share's origin
    p.causal.keys = pick(CausalKeys::n, CausalKeys::k);
    const std::int64_t keys = p.causal.keys == CausalKeys::n ? p.n : p.k;
    p.causal.queries = rng() % 2 ? p.m : std::max<std::int64_t>(1, p.m / pick(2, 4));
    p.causal.offset = rng() % 2 ? 0 : static_cast<std::int64_t>(rng() % static_cast<unsigned>(keys));
    p.causal.row0 = rng() % 2 ? 0 : static_cast<std::int64_t>(rng() % 64);
    p.causal.key0 = rng() % 2 ? 0 : static_cast<std::int64_t>(rng() % 64);
  }
  d.bw = pick(0.5, 4.0, 16.0, 100.0);
  std::ostringstream w;
  w << a.systolic.rows << "x" << a.systolic.cols << " " << name_of(a.systolic.dataflow) << " "
    << name_of(a.systolic.timing) << ", " << a.sram.kib << " KiB";
  if (a.sram.ifmap_kib) w << " (" << *a.sram.ifmap_kib << "/" << *a.sram.weight_kib << "/" << *a.sram.ofmap_kib << ")";
  w << ", dram " << (a.dram.model == DramModel::ideal ? "ideal" : "timed") << " " << a.dram.latency_ns << " ns at "
    << a.clock_mhz << " MHz, " << d.bw << " B/cycle; " << p.instances << " x " << p.m << "x" << p.n << "x" << p.k << " "
    << name_of(p.a) << "*" << name_of(p.b) << "->" << name_of(p.out) << " acc " << p.acc_bits << " rate " << p.rate
    << " on chip " << p.a_on_chip << p.b_on_chip << p.c_on_chip << p.psum_on_chip << " staged " << p.staged
    << " global " << p.global_bytes_per_cycle << " causal " << static_cast<int>(p.causal.keys) << " q "
    << p.causal.queries << " off " << p.causal.offset << " at " << p.causal.row0 << "," << p.causal.key0;
  d.what = w.str();
  return d;
}

// The rule read straight, over whole-fold and part-array-fold mappings apart: the fastest estimate of
// each, then the first candidate of the lowest rank among those within the slack (part-array ones within
// the whole-fold slack too); the part-array one wins only when it is faster in steady state (or alone).
// The fastest estimate of one kind plus the slack (none when the kind has no mapping).
std::optional<std::uint64_t> within(const std::vector<GemmMapping>& all, bool ideal, bool part) {
  std::optional<std::uint64_t> fastest;
  for (const GemmMapping& g : all)
    if (g.part_folds == part) fastest = std::min(fastest.value_or(g.estimate), g.estimate);
  if (!fastest) return std::nullopt;
  return *fastest + (ideal ? 0 : *fastest / 25);
}

std::optional<GemmMapping> pool_choice(const std::vector<GemmMapping>& all, bool ideal, bool part) {
  std::optional<std::uint64_t> limit = within(all, ideal, part);
  if (!limit) return std::nullopt;
  if (const auto whole = within(all, ideal, false)) limit = std::min(*limit, *whole);  // parts: both slacks
  std::optional<GemmMapping> best;
  for (const GemmMapping& g : all) {
    if (g.part_folds != part || g.estimate > *limit) continue;
    const auto rank = std::make_tuple(g.traffic.cost(), g.loads, g.estimate);
    if (!best || rank < std::make_tuple(best->traffic.cost(), best->loads, best->estimate)) best = g;
  }
  return best;
}

std::optional<GemmMapping> reference_choice(const std::vector<GemmMapping>& all, bool ideal) {
  const std::optional<GemmMapping> whole = pool_choice(all, ideal, false), part = pool_choice(all, ideal, true);
  return !whole || (part && part->steady < whole->steady) ? part : whole;
}

// With ideal memory, the mapping a timed memory would pick where its array time is the least (costed as
// ideal: found in the ideal space by its tiles, order and hold), else the rule's ideal choice.
std::optional<GemmMapping> reference_mapping(const ArchSpec& arch, const GemmProblem& p, double bw) {
  const std::vector<GemmMapping> all = all_gemm_mappings(arch, p, bw);
  const bool ideal = arch.dram.model == DramModel::ideal;
  const std::optional<GemmMapping> best = reference_choice(all, ideal);
  if (!ideal || !best) return best;
  ArchSpec timed = arch;
  timed.dram.model = DramModel::timed;
  const std::optional<GemmMapping> same = reference_choice(all_gemm_mappings(timed, p, bw), false);
  if (!same || same->array_cycles != best->array_cycles) return best;
  for (const GemmMapping& g : all)
    if (g.t1 == same->t1 && g.t2 == same->t2 && g.ts == same->ts && g.p1_outer == same->p1_outer &&
        g.hold_x1 == same->hold_x1 && g.hold_x2 == same->hold_x2 && g.single_stat == same->single_stat)
      return g;
  ADD_FAILURE() << "the timed choice is not in the ideal space";
  return best;
}

std::string describe(const GemmMapping& g) {
  std::ostringstream o;
  o << "tiles " << g.t1 << "x" << g.t2 << "x" << g.ts << " (" << g.n1 << "x" << g.n2 << "x" << g.ns << ") folds " << g.u1
    << "x" << g.u2 << (g.p1_outer ? " p1 outer" : " p2 outer") << " hold " << g.hold_x1 << g.hold_x2 << " reload "
    << g.reload << " single " << g.single_stat << " bytes " << g.traffic.a_read << "/" << g.traffic.b_read << "/" << g.traffic.c_write << "/"
    << g.traffic.psum_read << "/" << g.traffic.psum_write << " dram " << g.traffic.dram << " global "
    << g.traffic.global << " footprint " << g.footprint << " loads " << g.loads << " array " << g.array_cycles
    << " estimate " << g.estimate;
  return o.str();
}

// Returns how many draws had a mapping (the rest fit nothing, which both must agree on).
int mapping_sweep(unsigned seed, int cases) {
  std::mt19937 rng(seed);
  int mapped = 0;
  for (int i = 0; i < cases; ++i) {
    const MappingDraw d = draw_mapping(rng);
    const std::optional<GemmMapping> chosen = choose_gemm_mapping(d.arch, d.p, d.bw);
    const std::optional<GemmMapping> want = reference_mapping(d.arch, d.p, d.bw);
    EXPECT_EQ(chosen.has_value(), want.has_value()) << "seed " << seed << " case " << i << ": " << d.what;
    if (!chosen || !want) continue;
    ++mapped;
    EXPECT_TRUE(*chosen == *want) << "seed " << seed << " case " << i << ": " << d.what << "\n  chosen    "
                                  << describe(*chosen) << "\n  reference " << describe(*want);
  }
  return mapped;
}

TEST(GemmMappingChoice, FixedSeedsEqualTheRuleOverTheWholeSpace) {
  int mapped = 0;
  for (unsigned seed : {1u, 2u, 3u, 4u}) mapped += mapping_sweep(seed, 300);
  EXPECT_GT(mapped, 600);  // most draws fit some mapping
}

TEST(GemmMappingChoice, FreshSeedEqualsTheRuleOverTheWholeSpace) {
  const unsigned seed = std::random_device{}();
  std::printf("GemmMappingChoice.FreshSeed: seed %u\n", seed);
  EXPECT_GT(mapping_sweep(seed, 300), 100) << "seed " << seed;
}

// ranked_gemm_mappings makes the choice and ranks the rest in one pass: its first mapping is the choice, and
// the others are the fastest estimates of the whole space (fewer bytes first among equal estimates), the
// choice left out, in that order.
void ranked_sweep(unsigned seed, int cases) {
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    const MappingDraw d = draw_mapping(rng);
    const int n = static_cast<int>(1 + rng() % 12);
    const std::vector<GemmMapping> ranked = ranked_gemm_mappings(d.arch, d.p, d.bw, n);
    const std::optional<GemmMapping> chosen = choose_gemm_mapping(d.arch, d.p, d.bw);
    ASSERT_EQ(ranked.empty(), !chosen) << "seed " << seed << " case " << i << ": " << d.what;
    if (!chosen) continue;
    EXPECT_TRUE(ranked.front() == *chosen) << "seed " << seed << " case " << i << ": " << d.what;
    std::vector<GemmMapping> all = all_gemm_mappings(d.arch, d.p, d.bw);
    std::stable_sort(all.begin(), all.end(), [](const GemmMapping& a, const GemmMapping& b) {
      return std::make_tuple(a.estimate, a.traffic.cost()) < std::make_tuple(b.estimate, b.traffic.cost());
    });
    std::vector<GemmMapping> want{*chosen};
    for (std::size_t k = 0; k < all.size() && k < static_cast<std::size_t>(n) && want.size() < static_cast<std::size_t>(n); ++k)
      if (!(all[k] == *chosen)) want.push_back(all[k]);
    ASSERT_EQ(ranked.size(), want.size()) << "seed " << seed << " case " << i << ": " << d.what;
    for (std::size_t k = 1; k < want.size(); ++k)  // equal keys may come in either order: compare the keys
      EXPECT_EQ(std::make_tuple(ranked[k].estimate, ranked[k].traffic.cost()),
                std::make_tuple(want[k].estimate, want[k].traffic.cost()))
          << "seed " << seed << " case " << i << " rank " << k << ": " << d.what;
  }
}

TEST(GemmMappingRanked, FixedSeedsAreTheChoiceThenTheFastestOfTheWholeSpace) {
  for (unsigned seed : {1u, 2u}) ranked_sweep(seed, 200);
}

TEST(GemmMappingRanked, FreshSeedIsTheChoiceThenTheFastestOfTheWholeSpace) {
  const unsigned seed = std::random_device{}();
  std::printf("GemmMappingRanked.FreshSeed: seed %u\n", seed);
  ranked_sweep(seed, 200);
}

}  // namespace
}  // namespace catsim
