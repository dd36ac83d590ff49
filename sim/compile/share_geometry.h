#pragma once
// Where one core's share of a matmul puts its tiles: the ranges of tile (i1, i2) and stream chunk c along
// P1, P2 and S, a block's shape, bytes and key in the op's coordinates, and the stream cycles up to an
// element. The emitter (matmul_emitter.cpp) and the closed-form tally (sim/analytic/op_tally.cpp) walk the
// same tiles, so they read one geometry.

#include <algorithm>
#include <cstdint>

#include "arch/int_math.h"
#include "arch/mac_rate.h"
#include "sim/compile/core_split.h"
#include "sim/compile/program_builder.h"
#include "sim/systolic/fold_timing.h"

namespace catsim {

class ShareGeometry {
 public:
  using i64 = std::int64_t;
  using u64 = std::uint64_t;

  struct Range {
    i64 lo, hi;
    i64 len() const { return hi - lo; }
  };

  // `whole`: the op's GEMM as the mapping saw it (a K share's: its partial-sums problem).
  ShareGeometry(Dataflow dataflow, const GemmProblem& whole, const GemmShare& share, const GemmMapping& g)
      : m_whole(whole),
        m_share(share),
        m_g(g),
        m_df(dataflow),
        m_sizes(role_sizes(dataflow, share.problem(whole))),
        m_rate(mac_rate_factors(whole.rate)) {}

  Range p1_range(i64 i1) const { return {i1 * m_g.t1, std::min(m_sizes.p1, (i1 + 1) * m_g.t1)}; }
  Range p2_range(i64 i2) const { return {i2 * m_g.t2, std::min(m_sizes.p2, (i2 + 1) * m_g.t2)}; }
  Range s_range(i64 c) const { return {c * m_g.ts, std::min(m_sizes.s, (c + 1) * m_g.ts)}; }
  // Stream cycles from the start of a fold up to stream element `elems` (OS packs K, low rates stretch).
  i64 slots_upto(i64 elems) const {
    return (roles_of(m_df).s == GemmDim::k ? ceil_div(elems, m_rate.pack) : elems) * m_rate.stretch;
  }
  GemmShape shape(Range r1, Range r2, Range rs) const {
    const DimRoles r = roles_of(m_df);
    i64 d[3] = {0, 0, 0};
    d[static_cast<int>(r.p1)] = r1.len(), d[static_cast<int>(r.p2)] = r2.len(),
    d[static_cast<int>(r.s)] = rs.len();
    return {d[0], d[1], d[2]};
  }
  u64 bytes_of(Tensor t, i64 rows, i64 cols) const {
    const GemmOperand o = operand_of(m_df, t);
    const Precision p = o == GemmOperand::a ? m_whole.a : o == GemmOperand::b ? m_whole.b : m_whole.out;
    return element_bytes(p, u64(rows) * u64(cols));
  }
  u64 acc_bytes(i64 rows, i64 cols) const { return u64(rows) * u64(cols) * u64(m_whole.acc_bits) / 8; }
  // A block of an operand in the op's own coordinates: instance, first row, first column, rows.
  TileKey block_of(Tensor t, i64 inst, Range r1, Range r2, Range rs) const {
    const DimRoles r = roles_of(m_df);
    Range d[3] = {{0, 0}, {0, 0}, {0, 0}};
    d[static_cast<int>(r.p1)] = r1, d[static_cast<int>(r.p2)] = r2, d[static_cast<int>(r.s)] = rs;
    const Range m{d[0].lo + m_share.m0, d[0].hi + m_share.m0}, n{d[1].lo + m_share.n0, d[1].hi + m_share.n0};
    const Range k{d[2].lo + m_share.k0, d[2].hi + m_share.k0};
    const bool a = operand_of(m_df, t) == GemmOperand::a;
    const Range rows = a ? m : k, cols = a ? k : n;
    return {m_share.inst0 + inst, rows.lo, cols.lo, rows.len() * 1'000'003 + cols.len()};
  }
  // The key a staged block goes by in the op's set of staged blocks (ProgramBuilder::m_staged): A and B
  // apart.
  static TileKey staged_key(const TileKey& block, bool is_a) {
    return {block.a * 2 + (is_a ? 0 : 1), block.b, block.c, block.d};
  }

 protected:
  const GemmProblem& m_whole;
  GemmShare m_share;
  GemmMapping m_g;
  Dataflow m_df;
  RoleSizes m_sizes;
  MacRate m_rate;
};

}  // namespace catsim
