#include "sim/compile/core_split.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "arch/int_math.h"

namespace catsim {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

// Granularity of a split along `axis`: whole folds when the dimension lies on the array, else one element.
i64 split_unit(const ArchSpec& arch, GemmDim d) {
  const DimRoles r = roles_of(arch.systolic.dataflow);
  if (r.p1 == d) return arch.systolic.rows;
  if (r.p2 == d) return arch.systolic.cols;
  return 1;
}

// Part `c` of `parts` of [0, extent), in whole units.
std::pair<i64, i64> part(i64 extent, i64 unit, i64 parts, i64 c) {
  const i64 units = ceil_div(extent, unit);
  return {std::min(extent, units * c / parts * unit), std::min(extent, units * (c + 1) / parts * unit)};
}

// Shares of a split over `used` cores into m_parts x n_parts (instances split alone when `by_instance`),
// the used cores first; the compiler rotates them onto the physical cores.
std::vector<GemmShare> shares_of(const ArchSpec& arch, const GemmProblem& p, int used, bool by_instance, i64 m_parts,
                                 i64 n_parts) {
  std::vector<GemmShare> out;
  for (i64 c = 0; c < arch.cores; ++c) {
    GemmShare s{0, p.instances, 0, p.m, 0, p.n};
    if (c >= used) {
      s.m1 = 0;  // no work for this core
    } else if (by_instance) {
      std::tie(s.inst0, s.inst1) = part(p.instances, 1, used, c);
    } else {
      std::tie(s.m0, s.m1) = part(p.m, split_unit(arch, GemmDim::m), m_parts, c / n_parts);
      std::tie(s.n0, s.n1) = part(p.n, split_unit(arch, GemmDim::n), n_parts, c % n_parts);
    }
    out.push_back(s);
  }
  return out;
}

// Candidate splits over 1, 2, 4, ... and all cores (more cores only add candidates): by instance, and every
// grid M x N with m_parts * n_parts = the cores used.
std::vector<GemmSplit> candidates(const ArchSpec& arch, const GemmProblem& p) {
  std::vector<GemmSplit> out;
  std::vector<int> counts;
  for (int k = 1; k < arch.cores; k *= 2) counts.push_back(k);
  counts.push_back(arch.cores);
  for (int used : counts) {
    GemmSplit inst;
    inst.axis = SplitAxis::instances;
    inst.used = used;
    inst.shares = shares_of(arch, p, used, true, 1, 1);
    out.push_back(inst);
    for (int mp = 1; mp <= used && used > 1; ++mp) {
      if (used % mp) continue;
      GemmSplit g;
      g.used = used, g.m_parts = mp, g.n_parts = used / mp;
      g.axis = mp == 1 ? SplitAxis::n : g.n_parts == 1 ? SplitAxis::m : SplitAxis::mn;
      g.shares = shares_of(arch, p, used, false, g.m_parts, g.n_parts);
      out.push_back(g);
    }
  }
  return out;
}

}  // namespace

GemmProblem GemmShare::problem(const GemmProblem& whole) const {
  GemmProblem p = whole;
  p.instances = inst1 - inst0, p.m = m1 - m0, p.n = n1 - n0;
  return p;
}

std::optional<GemmSplit> choose_gemm_split(const ArchSpec& arch, const GemmProblem& whole) {
  std::optional<GemmSplit> best;
  u64 best_bytes = 0;
  std::map<std::tuple<i64, i64, i64, int>, std::optional<GemmMapping>> memo;
  for (GemmSplit& split : candidates(arch, whole)) {
    const int active = static_cast<int>(std::count_if(split.shares.begin(), split.shares.end(),
                                                      [](const GemmShare& s) { return !s.empty(); }));
    const double bw = arch.dram_bytes_per_cycle() / std::max(1, active);
    bool ok = true;
    u64 bytes = 0;
    for (const GemmShare& s : split.shares) {
      if (s.empty()) {
        split.mappings.emplace_back();
        continue;
      }
      const GemmProblem p = s.problem(whole);
      auto key = std::make_tuple(p.instances, p.m, p.n, active);
      auto it = memo.find(key);
      if (it == memo.end()) it = memo.emplace(key, choose_gemm_mapping(arch, p, bw)).first;
      if (!it->second) {
        ok = false;
        break;
      }
      split.mappings.push_back(*it->second);
      split.estimate = std::max(split.estimate, it->second->estimate);
      bytes += it->second->traffic.cost();
    }
    if (!ok) continue;
    // The lowest makespan wins; within 1 %, fewer bytes; then the earlier candidate.
    const bool better = !best || static_cast<double>(split.estimate) < 0.99 * static_cast<double>(best->estimate) ||
                        (static_cast<double>(split.estimate) <= 1.01 * static_cast<double>(best->estimate) &&
                         bytes < best_bytes);
    if (better) {
      best = std::move(split);
      best_bytes = bytes;
    }
  }
  return best;
}

}  // namespace catsim
