#include "sim/compile/core_split.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "arch/int_math.h"

namespace catsim {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

// Granularity of a split along `axis`: whole folds when the dimension lies on the array, else one element.
i64 split_unit(const ArchSpec& arch, SplitAxis axis) {
  if (axis == SplitAxis::instances) return 1;
  const DimRoles r = roles_of(arch.systolic.dataflow);
  const GemmDim d = axis == SplitAxis::m ? GemmDim::m : GemmDim::n;
  if (r.p1 == d) return arch.systolic.rows;
  if (r.p2 == d) return arch.systolic.cols;
  return 1;
}

std::vector<GemmShare> shares_along(const ArchSpec& arch, const GemmProblem& p, SplitAxis axis) {
  const i64 extent = axis == SplitAxis::instances ? p.instances : axis == SplitAxis::m ? p.m : p.n;
  const i64 unit = split_unit(arch, axis), units = ceil_div(extent, unit), cores = arch.cores;
  std::vector<GemmShare> out;
  for (i64 c = 0; c < cores; ++c) {
    const i64 lo = std::min(extent, units * c / cores * unit), hi = std::min(extent, units * (c + 1) / cores * unit);
    GemmShare s{0, p.instances, 0, p.m, 0, p.n};
    if (axis == SplitAxis::instances) s.inst0 = lo, s.inst1 = hi;
    if (axis == SplitAxis::m) s.m0 = lo, s.m1 = hi;
    if (axis == SplitAxis::n) s.n0 = lo, s.n1 = hi;
    out.push_back(s);
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
  for (SplitAxis axis : {SplitAxis::instances, SplitAxis::m, SplitAxis::n}) {
    if (arch.cores == 1 && axis != SplitAxis::instances) break;  // one core: one share, the whole GEMM
    GemmSplit split;
    split.axis = axis;
    split.shares = shares_along(arch, whole, axis);
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
      bytes += it->second->traffic.total();
    }
    if (!ok) continue;
    // The lowest makespan wins; within 1 %, fewer bytes; then the earlier axis (instances, M, N).
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
