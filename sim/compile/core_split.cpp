#include "sim/compile/core_split.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "arch/int_math.h"
#include "sim/vector/vector_cost.h"

namespace catsim {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

// Granularity of a split along `d`: whole folds when the dimension lies on the array, else one element; at
// `level` l, 2^-l of a fold (in whole PEs, down to one): where the folds of an array 2^l times smaller along
// that side end. A larger array cuts its shares at every level, so it keeps every core split of every smaller
// array (the same units: (2R) >> (l + 1) == R >> l), not only splits at its own fold boundaries.
i64 array_side(const ArchSpec& arch, GemmDim d) {
  const DimRoles r = roles_of(arch.systolic.dataflow);
  return r.p1 == d ? arch.systolic.rows : r.p2 == d ? arch.systolic.cols : 1;
}
i64 split_unit(const ArchSpec& arch, GemmDim d, int level) { return std::max<i64>(1, array_side(arch, d) >> level); }
// The finest level along `d`: the one whose unit is one PE.
int split_levels(const ArchSpec& arch, GemmDim d) {
  int levels = 0;
  while ((array_side(arch, d) >> (levels + 1)) > 0) ++levels;
  return levels;
}

// Part `c` of `parts` of [0, extent), in whole units.
std::pair<i64, i64> part(i64 extent, i64 unit, i64 parts, i64 c) {
  const i64 units = ceil_div(extent, unit);
  return {std::min(extent, units * c / parts * unit), std::min(extent, units * (c + 1) / parts * unit)};
}

// Shares of a split over `used` cores into m_parts x n_parts (instances split alone when `by_instance`),
// the used cores first; the compiler rotates them onto the physical cores. M and N are cut at the
// granularity of `m_level` and `n_level` (split_unit).
std::vector<GemmShare> shares_of(const ArchSpec& arch, const GemmProblem& p, int used, bool by_instance, i64 m_parts,
                                 i64 n_parts, int m_level = 0, int n_level = 0) {
  std::vector<GemmShare> out;
  for (i64 c = 0; c < arch.cores; ++c) {
    GemmShare s{0, p.instances, 0, p.m, 0, p.n, 0, p.k};
    if (c >= used) {
      s.m1 = 0;  // no work for this core
    } else if (by_instance) {
      std::tie(s.inst0, s.inst1) = part(p.instances, 1, used, c);
    } else {
      std::tie(s.m0, s.m1) = part(p.m, split_unit(arch, GemmDim::m, m_level), m_parts, c / n_parts);
      std::tie(s.n0, s.n1) = part(p.n, split_unit(arch, GemmDim::n, n_level), n_parts, c % n_parts);
    }
    out.push_back(s);
  }
  return out;
}

// Shares of K over `used` cores, in whole units of K's role on the array (split_unit at `level`).
std::vector<GemmShare> k_shares_of(const ArchSpec& arch, const GemmProblem& p, int used, int level = 0) {
  std::vector<GemmShare> out;
  for (i64 c = 0; c < arch.cores; ++c) {
    GemmShare s{0, p.instances, 0, p.m, 0, p.n, 0, p.k};
    if (c >= used) s.k1 = 0;
    else std::tie(s.k0, s.k1) = part(p.k, split_unit(arch, GemmDim::k, level), used, c);
    out.push_back(s);
  }
  return out;
}

// The bounds of a split's shares (two splits with equal bounds are one candidate).
std::vector<i64> bounds_of(const std::vector<GemmShare>& shares) {
  std::vector<i64> out;
  for (const GemmShare& s : shares) out.insert(out.end(), {s.inst0, s.inst1, s.m0, s.m1, s.n0, s.n1, s.k0, s.k1});
  return out;
}

// Candidate splits over 1, 2, 4, ... cores and over all of them, a half of them, a quarter, ... (so a chip
// with twice the cores has every count of this one and only adds candidates): by instance, every grid M x N
// with m_parts * n_parts = the cores used, and K (one instance: heads split by instance); M, N and K cut at
// whole folds first, then at every finer split_unit level that moves a bound.
std::vector<GemmSplit> candidates(const ArchSpec& arch, const GemmProblem& p) {
  std::vector<GemmSplit> out;
  std::vector<int> counts;
  for (int k = 1; k < arch.cores; k *= 2) counts.push_back(k);
  for (int k = arch.cores; k > 0; k /= 2) counts.push_back(k);
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
  // Adds `split` unless a split of this kind already cut the shares at the same bounds.
  auto add_new = [&](std::vector<std::vector<i64>>& seen, GemmSplit split) {
    std::vector<i64> bounds = bounds_of(split.shares);
    if (std::find(seen.begin(), seen.end(), bounds) != seen.end()) return;
    seen.push_back(std::move(bounds));
    out.push_back(std::move(split));
  };
  for (int used : counts) {
    // One instance over more cores is the one-core split with idle cores beside it: not a candidate of its own.
    if (used == 1 || p.instances > 1) {
      GemmSplit inst;
      inst.axis = SplitAxis::instances;
      inst.used = used;
      inst.shares = shares_of(arch, p, used, true, 1, 1);
      out.push_back(inst);
    }
    for (int mp = 1; mp <= used && used > 1; ++mp) {
      if (used % mp) continue;
      std::vector<std::vector<i64>> seen;
      const int m_levels = mp > 1 ? split_levels(arch, GemmDim::m) : 0;
      const int n_levels = used / mp > 1 ? split_levels(arch, GemmDim::n) : 0;
      for (int level = 0; level <= m_levels + n_levels; ++level)
        for (int m_level = 0; m_level <= std::min(level, m_levels); ++m_level) {
          const int n_level = level - m_level;
          if (n_level > n_levels) continue;
          GemmSplit g;
          g.used = used, g.m_parts = mp, g.n_parts = used / mp;
          g.axis = mp == 1 ? SplitAxis::n : g.n_parts == 1 ? SplitAxis::m : SplitAxis::mn;
          g.shares = shares_of(arch, p, used, false, g.m_parts, g.n_parts, m_level, n_level);
          add_new(seen, std::move(g));
        }
    }
    if (used > 1 && p.instances == 1 && !p.causal.on()) {  // skipped causal tiles keep K whole
      std::vector<std::vector<i64>> seen;
      for (int level = 0; level <= split_levels(arch, GemmDim::k); ++level) {
        GemmSplit k;
        k.axis = SplitAxis::k;
        k.used = used;
        k.shares = k_shares_of(arch, p, used, level);
        add_new(seen, std::move(k));
      }
    }
  }
  return out;
}

}  // namespace

GemmProblem GemmShare::problem(const GemmProblem& whole) const {
  GemmProblem p = whole;
  p.instances = inst1 - inst0, p.m = m1 - m0, p.n = n1 - n0, p.k = k1 - k0;
  p.causal.row0 += m0;
  p.causal.key0 += p.causal.keys == CausalKeys::n ? n0 : k0;
  return p;
}

namespace {
// Partial sums are stored in accumulator width; this is the element format of that width.
Precision accumulator_format(int acc_bits) { return acc_bits >= 32 ? Precision::fp32 : Precision::fp16; }
}  // namespace

bool partials_on_chip(const ArchSpec& arch, const GemmProblem& whole, int parts) {
  const u64 all = u64(parts) * u64(whole.instances) * u64(whole.m) * u64(whole.n) * u64(whole.acc_bits) / 8;
  const bool dram_is_free = arch.dram.model == DramModel::ideal;  // the global buffer would only cost time
  return !dram_is_free && arch.sram.global_kib > 0 && all <= static_cast<u64>(arch.sram.global_kib * 1024) / 4;
}

GemmProblem partial_sums_problem(const ArchSpec& arch, const GemmProblem& whole, int parts) {
  GemmProblem p = whole;
  p.out = accumulator_format(whole.acc_bits);
  p.c_on_chip = partials_on_chip(arch, whole, parts);
  return p;
}

namespace {
// Byte cost (GemmTraffic's weights) of the reduction: every partial sum read back, the sums written.
u64 reduction_cost(const ArchSpec& arch, const GemmProblem& whole, int parts) {
  const u64 elements = u64(whole.instances) * u64(whole.m) * u64(whole.n);
  const u64 partials = elements * u64(parts) * u64(whole.acc_bits) / 8, sums = element_bytes(whole.out, elements);
  const u64 dram = GemmTraffic::kDramWeight;
  return (partials_on_chip(arch, whole, parts) ? 1 : dram) * partials + (whole.c_on_chip ? 1 : dram) * sums;
}
}  // namespace

std::uint64_t reduction_estimate(const ArchSpec& arch, const GemmProblem& whole, int parts) {
  // Each core reads every part's partial sums of its 1/parts of the output, adds them and stores the result.
  const u64 elements = ceil_div(u64(whole.instances) * u64(whole.m) * u64(whole.n), u64(parts));
  const u64 bytes = elements * u64(parts) * u64(whole.acc_bits) / 8 + element_bytes(whole.out, elements);
  const bool ideal = arch.dram.model == DramModel::ideal;
  const double bw = partials_on_chip(arch, whole, parts) && !ideal
                        ? std::max(1, arch.sram.global_bytes_per_cycle) / static_cast<double>(parts)
                        : ideal ? 1e30 : arch.dram_bytes_per_cycle() / parts;
  const double latency = ideal ? 0.0 : arch.dram_latency_cycles();
  const double mem = static_cast<double>(bytes) / bw + latency;
  const u64 adds = vector_cycles(arch.vector, {{"add", elements * u64(parts - 1)}});
  return static_cast<u64>(std::max(mem, static_cast<double>(adds)));
}

namespace {
// What a share competes for with the other `active` ones: the global buffer's bandwidth, and the DRAM reads
// of staged operand tiles that several shares read alike (once from DRAM for all of them).
void share_resources(const GemmSplit& split, const GemmShare& share, int active, GemmProblem& p) {
  p.global_bytes_per_cycle /= std::max(1, active);
  if (split.axis == SplitAxis::k) return;
  p.a_sharers = p.b_sharers = 0;
  for (const GemmShare& o : split.shares) {
    if (o.empty() || o.inst0 != share.inst0 || o.inst1 != share.inst1) continue;
    p.a_sharers += o.m0 == share.m0 && o.m1 == share.m1;  // the same rows of A
    p.b_sharers += o.n0 == share.n0 && o.n1 == share.n1;  // the same columns of B
  }
}
}  // namespace

namespace {
// The key a share's problem is mapped under: shares of equal sizes map alike wherever they start, unless a
// causal mask makes where they start matter.
using ShareKey = std::tuple<bool, i64, i64, i64, i64, int, i64, i64, i64, i64>;

// Maps every share of the candidate splits, each share's ranked mappings computed once per problem.
class SplitMapper {
 public:
  SplitMapper(const ArchSpec& arch, const GemmProblem& whole, int variants)
      : m_arch(arch), m_whole(whole), m_variants(variants) {}

  // Maps `split`'s shares with their `variant`-th ranked mapping (the last one where a share has fewer);
  // false when a share fits no mapping, or when no share has a `variant`-th one (nothing new). `offered`:
  // the most mappings any of its shares has.
  bool map(GemmSplit& split, int variant, u64& cost, int& offered) {
    const int active = static_cast<int>(std::count_if(split.shares.begin(), split.shares.end(),
                                                      [](const GemmShare& s) { return !s.empty(); }));
    const double bw = m_arch.dram_bytes_per_cycle() / std::max(1, active);
    split.mappings.clear();
    split.mappings.reserve(split.shares.size());
    split.estimate = 0;
    cost = 0;
    bool fresh = variant == 0;
    for (const GemmShare& s : split.shares) {
      if (s.empty()) {
        split.mappings.emplace_back();
        continue;
      }
      GemmProblem p =
          s.problem(split.axis == SplitAxis::k ? partial_sums_problem(m_arch, m_whole, split.used) : m_whole);
      share_resources(split, s, active, p);
      const bool causal = p.causal.on();
      const ShareKey key{split.axis == SplitAxis::k, p.instances, p.m, p.n, p.k, active,
                         causal ? p.causal.row0 : 0, causal ? p.causal.key0 : 0, p.a_sharers, p.b_sharers};
      auto it = m_ranked.find(key);
      if (it == m_ranked.end()) it = m_ranked.emplace(key, ranked_gemm_mappings(m_arch, p, bw, m_variants)).first;
      const std::vector<GemmMapping>& ranked = it->second;
      m_longest = std::max(m_longest, static_cast<int>(ranked.size()));
      offered = std::max(offered, static_cast<int>(ranked.size()));
      if (ranked.empty()) return false;
      fresh = fresh || variant < static_cast<int>(ranked.size());
      const GemmMapping& g = ranked[static_cast<std::size_t>(std::min<int>(variant, static_cast<int>(ranked.size()) - 1))];
      split.mappings.push_back(g);
      split.estimate = std::max(split.estimate, g.estimate);
      cost += g.traffic.cost();
    }
    if (!fresh) return false;
    if (split.axis == SplitAxis::k) {
      split.estimate += reduction_estimate(m_arch, m_whole, split.used);
      cost += reduction_cost(m_arch, m_whole, split.used);
    }
    return true;
  }

  // The most mappings any share was offered.
  int longest() const { return m_longest; }

 private:
  const ArchSpec& m_arch;
  const GemmProblem& m_whole;
  int m_variants;
  int m_longest = 0;
  std::map<ShareKey, std::vector<GemmMapping>> m_ranked;
};
}  // namespace

namespace {
// The rule of estimated_choice over the options `at` (in their order).
std::optional<std::size_t> estimated_among(const std::vector<SplitOption>& options, const std::vector<std::size_t>& at) {
  std::optional<std::size_t> best;
  for (std::size_t i : at) {
    const SplitOption& o = options[i];
    // The lowest makespan wins; within 1 %, fewer bytes; then the earlier candidate. A K split must win by
    // 10 %: its partial sums are stored after the last K chunk and reduced after that, a serial tail the
    // estimate only approximates (CLIP's 49x768x3072 patch embedding on catransformers_baseline simulated
    // 5.6 % slower split over K than over N, which its estimate had put behind).
    const double margin = o.split.axis == SplitAxis::k ? 0.9 : 0.99;
    const auto estimate = static_cast<double>(o.split.estimate);
    const bool better = !best ||
                        estimate < margin * static_cast<double>(options[*best].split.estimate) ||
                        (o.split.axis != SplitAxis::k &&
                         estimate <= 1.01 * static_cast<double>(options[*best].split.estimate) &&
                         o.cost < options[*best].cost);
    if (better) best = i;
  }
  return best;
}
}  // namespace

std::optional<std::size_t> estimated_choice(const std::vector<SplitOption>& options, int used_only) {
  // Within each number of cores used, then among those choices: the overall choice is always one of a
  // group's, which the op timer runs on every chip that has that group.
  std::map<int, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < options.size(); ++i)
    if (options[i].variant == 0 && (used_only <= 0 || options[i].split.used == used_only))
      groups[options[i].split.used].push_back(i);
  std::vector<std::size_t> picks;
  for (const auto& [used, at] : groups)
    if (const std::optional<std::size_t> pick = estimated_among(options, at)) picks.push_back(*pick);
  std::sort(picks.begin(), picks.end());  // in the options' order, as one pass over all of them would see them
  return estimated_among(options, picks);
}

std::optional<GemmSplit> choose_gemm_split(const ArchSpec& arch, const GemmProblem& whole) {
  std::vector<SplitOption> options = gemm_split_options(arch, whole, 1);
  const std::optional<std::size_t> i = estimated_choice(options);
  if (!i) return std::nullopt;
  return std::move(options[*i].split);
}

std::uint64_t matmul_command_bound(const GemmProblem& p, const GemmSplit& split) {
  u64 total = 0;
  for (const GemmMapping& g : split.mappings) {
    u64 steps = 6;
    for (const i64 f : {g.n1, g.n2, g.ns, p.instances})
      if (__builtin_mul_overflow(steps, u64(f), &steps)) return ~u64{0};
    if (__builtin_add_overflow(total, steps, &total)) return ~u64{0};
  }
  return total;
}

std::vector<SplitOption> gemm_split_options(const ArchSpec& arch, const GemmProblem& whole, int variants,
                                            bool* whole_space) {
  std::vector<SplitOption> out;
  SplitMapper mapper(arch, whole, variants);
  for (const GemmSplit& candidate : candidates(arch, whole))
    for (int v = 0; v < variants; ++v) {
      SplitOption o{candidate, 0, v, 0};
      if (!mapper.map(o.split, v, o.cost, o.offered)) break;
      out.push_back(std::move(o));
    }
  if (whole_space) *whole_space = mapper.longest() < variants;
  return out;
}

}  // namespace catsim
