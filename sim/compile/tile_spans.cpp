#include "sim/compile/tile_spans.h"

#include <algorithm>

#include "arch/int_math.h"

namespace catsim {
namespace {

using i64 = std::int64_t;

struct Span1 {
  i64 lo, hi;
};

}  // namespace

TileSpans::TileSpans(Dataflow dataflow, const GemmMapping& g, RoleSizes sizes, const CausalMask& mask)
    : m_n1(g.n1), m_n2(g.n2), m_spans(static_cast<std::size_t>(g.n1 * g.n2)) {
  const DimRoles r = roles_of(dataflow);
  const GemmDim key_dim = mask.keys == CausalKeys::n ? GemmDim::n : GemmDim::k;
  for (i64 i1 = 0; i1 < g.n1; ++i1)
    for (i64 i2 = 0; i2 < g.n2; ++i2) {
      ChunkSpan& sp = m_spans[static_cast<std::size_t>(i1 * g.n2 + i2)];
      sp = {0, g.ns - 1};
      if (!mask.on()) continue;
      Span1 d[3];
      d[static_cast<int>(r.p1)] = {i1 * g.t1, std::min(sizes.p1, (i1 + 1) * g.t1)};
      d[static_cast<int>(r.p2)] = {i2 * g.t2, std::min(sizes.p2, (i2 + 1) * g.t2)};
      auto live = [&](i64 c) {
        d[static_cast<int>(r.s)] = {c * g.ts, std::min(sizes.s, (c + 1) * g.ts)};
        const Span1 m = d[static_cast<int>(GemmDim::m)], k = d[static_cast<int>(key_dim)];
        return !mask.all_masked(m.lo, m.hi, k.lo);
      };
      while (sp.first <= sp.last && !live(sp.first)) ++sp.first;
      while (sp.last >= sp.first && !live(sp.last)) --sp.last;
    }
  // WS/IS outputs accumulate along P1: a chunk that runs in K tile i1 runs in every earlier one, so each
  // chunk's partial sums build up in order from K tile 0 (which never is all masked: key 0 is always seen).
  if (dataflow != Dataflow::os)
    for (i64 i2 = 0; i2 < g.n2; ++i2)
      for (i64 i1 = g.n1 - 2; i1 >= 0; --i1) {
        ChunkSpan& sp = m_spans[static_cast<std::size_t>(i1 * g.n2 + i2)];
        const ChunkSpan& next = span(i1 + 1, i2);
        if (next.empty()) continue;
        if (sp.empty()) sp = next;
        sp.first = std::min(sp.first, next.first), sp.last = std::max(sp.last, next.last);
      }
  for (const ChunkSpan& sp : m_spans) m_skipped += g.ns - (sp.empty() ? 0 : sp.last - sp.first + 1);
}

double causal_live_fraction(Dataflow dataflow, const GemmMapping& g, RoleSizes sizes, const CausalMask& mask) {
  if (!mask.on()) return 1.0;
  const DimRoles r = roles_of(dataflow);
  const GemmDim key_dim = mask.keys == CausalKeys::n ? GemmDim::n : GemmDim::k;
  auto extent = [&](GemmDim d, i64& size, i64& tile) {
    if (r.p1 == d) size = sizes.p1, tile = g.t1;
    else if (r.p2 == d) size = sizes.p2, tile = g.t2;
    else size = sizes.s, tile = g.ts;
  };
  i64 rows = 0, tm = 1, keys = 0, tk = 1;
  extent(GemmDim::m, rows, tm);
  extent(key_dim, keys, tk);
  const i64 nq = ceil_div(rows, tm), nk = ceil_div(keys, tk);
  if (nq == 0 || nk == 0) return 1.0;
  double live = 0;
  for (i64 j = 0; j < nq; ++j) {
    const i64 r0 = j * tm + mask.row0, r1 = std::min(rows, (j + 1) * tm) + mask.row0;
    const bool wraps = (r1 - 1) / mask.queries != r0 / mask.queries;
    const i64 last_key = (wraps ? mask.queries - 1 : (r1 - 1) % mask.queries) + mask.offset - mask.key0;
    if (last_key >= 0) live += static_cast<double>(std::min(nk, last_key / tk + 1));
  }
  return live / (static_cast<double>(nq) * static_cast<double>(nk));
}

std::vector<FoldVisit> fold_order(const GemmMapping& g, RoleSizes sizes, i64 instances, const TileSpans& spans) {
  std::vector<FoldVisit> out;
  const i64 outer = g.p1_outer ? g.n1 : g.n2, inner = g.p1_outer ? g.n2 : g.n1;
  auto s_lo = [&](i64 c) { return c * g.ts; };
  auto s_hi = [&](i64 c) { return std::min(sizes.s, (c + 1) * g.ts); };
  for (i64 inst = 0; inst < instances; ++inst)
    for (i64 o = 0; o < outer; ++o)
      for (i64 i = 0; i < inner; ++i) {
        const i64 i1 = g.p1_outer ? o : i, i2 = g.p1_outer ? i : o;
        const ChunkSpan& sp = spans.span(i1, i2);
        if (sp.empty()) continue;
        const i64 f1_lo = i1 * g.t1 / g.u1, f1_hi = ceil_div(std::min(sizes.p1, (i1 + 1) * g.t1), g.u1);
        const i64 f2_lo = i2 * g.t2 / g.u2, f2_hi = ceil_div(std::min(sizes.p2, (i2 + 1) * g.t2), g.u2);
        // Reloaded folds run once per chunk; otherwise each fold runs its live stream once.
        for (i64 c = sp.first; c <= (g.reload ? sp.last : sp.first); ++c) {
          const i64 lo = s_lo(c), hi = g.reload ? s_hi(c) : s_hi(sp.last);
          if (g.p1_outer) {
            for (i64 f1 = f1_lo; f1 < f1_hi; ++f1)
              for (i64 f2 = f2_lo; f2 < f2_hi; ++f2) out.push_back({inst, f1, f2, lo, hi});
          } else {
            for (i64 f2 = f2_lo; f2 < f2_hi; ++f2)
              for (i64 f1 = f1_lo; f1 < f1_hi; ++f1) out.push_back({inst, f1, f2, lo, hi});
          }
        }
      }
  return out;
}

}  // namespace catsim
