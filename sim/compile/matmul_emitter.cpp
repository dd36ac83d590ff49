#include "sim/compile/matmul_emitter.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "arch/int_math.h"
#include "sim/compile/share_geometry.h"
#include "sim/compile/tile_spans.h"
#include "sim/systolic/fold_chain.h"

namespace catsim {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

// Emits one core's share of a matmul: loads, array commands chained along the core's fold order, and
// stores, in the tile loop order and with the residency of its mapping (gemm_mapping.h names the roles).
class MatmulEmitter : ShareGeometry {
 public:
  MatmulEmitter(ProgramBuilder& c, const Op& op, const GemmProblem& whole, int core, const CoreGemm& cg, bool partial)
      : ShareGeometry(c.m_arch.systolic.dataflow, whole, cg.share, cg.mapping), m_c(c), m_op(op), m_core(core),
        m_partial(partial), m_stat(c.m_recent_compute[core].ids, cg.mapping.single_stat),
        m_x1(c.m_recent_compute[core].ids), m_x2(c.m_recent_compute[core].ids),
        m_out(c.m_recent_store[core].ids, cg.mapping.single_stat && m_df == Dataflow::os),
        m_spill(c.spill_target(whole)), m_chunk_store(static_cast<std::size_t>(cg.mapping.ns)),
        m_spans(m_df, cg.mapping, m_sizes, cg.share.problem(whole).causal) {
    if (!op.b_is_weight) m_b_prod = c.producers(op);
  }

  void run() {
    const i64 outer = m_g.p1_outer ? m_g.n1 : m_g.n2, inner = m_g.p1_outer ? m_g.n2 : m_g.n1;
    for (i64 inst = 0; inst < m_share.inst1 - m_share.inst0; ++inst)
      for (i64 o = 0; o < outer; ++o)
        for (i64 i = 0; i < inner; ++i) tile(inst, m_g.p1_outer ? o : i, m_g.p1_outer ? i : o);
    flush_store();
    time_chain();
    m_c.plan().skipped_tiles += u64(m_spans.skipped()) * u64(m_share.inst1 - m_share.inst0);
  }

 private:
  struct PendingStore {
    Command cmd;
    Range rows;               // flat output rows written (final results only)
    std::optional<TileKey> psum;  // spilled partial sums: which ones
    SlotRing::Slot* slot;     // output slot this store frees (none for held partial sums)
    i64 chunk;
  };

  // Rows of A and C a block covers, in the op's flat row numbering (instance-major, then M).
  Range flat_rows(i64 inst, Range r1, Range r2, Range rs) const {
    const DimRoles r = roles_of(m_df);
    const Range m = r.p1 == GemmDim::m ? r1 : r.p2 == GemmDim::m ? r2 : rs;
    const i64 base = (m_share.inst0 + inst) * m_whole.m + m_share.m0;
    return {base + m.lo, base + m.hi};
  }
  void tile(i64 inst, i64 i1, i64 i2) {
    const Range r1 = p1_range(i1), r2 = p2_range(i2), whole_s{0, m_sizes.s};
    const bool out_x2 = m_df != Dataflow::os, chunked = m_g.ns > 1;
    // Under a causal mask only the span's chunks run (tile_spans.h); K tile 0 always runs.
    const ChunkSpan& span = m_spans.span(i1, i2);
    if (span.empty()) return;
    const bool first_k = !out_x2 || i1 == 0;
    const bool in_place = out_x2 && m_g.hold_x2 && !chunked;  // accumulate in the resident output tile
    const bool held = out_x2 && m_g.hold_x2 && chunked;       // partial sums of all chunks held
    const i64 live_lo = slots_upto(s_range(span.first).lo);   // a continued fold starts its stream here
    CommandDeps stat_deps;
    if (out_x2)
      load(m_stat, {inst, i1, i2, -1}, bytes_of(Tensor::stat, r1.len(), r2.len()), stat_deps, Tensor::stat,
           flat_rows(inst, r1, r2, whole_s), block_of(Tensor::stat, inst, r1, r2, whole_s));
    // Fold placements this tile adds to the core's chain: its folds once (whole stream), one continued
    // fold (chunked), or its folds once per chunk (reload).
    const i64 tile_folds = ceil_div(r1.len(), m_g.u1) * ceil_div(r2.len(), m_g.u2);
    if (!chunked) place(tile_folds, slots_upto(m_sizes.s));
    else if (!m_g.reload) place(1, slots_upto(s_range(span.last).hi) - live_lo);
    for (i64 c = span.first; c <= span.last; ++c) {
      const Range rs = s_range(c);
      const bool last_k = !out_x2 || m_spans.last_k(i1, i2, c);
      CommandDeps deps = stat_deps;
      // (1) Streamed operands; a whole-stream tile stays resident while its key repeats. The share's first
      // tile (OS) is loaded and run fold by fold, so the array starts once one fold's operands are in,
      // whatever the tile's size; later tiles load behind the array (double buffering).
      const Range s1 = m_g.hold_x1 ? whole_s : rs, s2 = m_g.hold_x2 ? whole_s : rs;
      const TileKey k1 = m_g.hold_x1 ? TileKey{inst, i1, -1, -1} : TileKey{inst, i1, i2, c};
      const TileKey k2 = m_g.hold_x2 ? TileKey{inst, -1, i2, -1} : TileKey{inst, i1, i2, c};
      const bool by_fold = !out_x2 && m_first_tile && c == span.first && tile_folds > 1 && !(chunked && !m_g.reload) &&
                           m_x1.current().key != k1 && m_x2.current().key != k2;
      // Fold groups: the outer loop's first fold alone, then its other folds; the inner loop's folds.
      const Range outer_r = m_g.p1_outer ? r1 : r2, inner_r = m_g.p1_outer ? r2 : r1;
      const i64 outer_u = m_g.p1_outer ? m_g.u1 : m_g.u2, inner_u = m_g.p1_outer ? m_g.u2 : m_g.u1;
      std::vector<Range> outer_g{outer_r}, inner_g{inner_r};
      if (by_fold) {
        outer_g = {{outer_r.lo, std::min(outer_r.hi, outer_r.lo + outer_u)}};
        for (const Range& g : fold_groups({outer_g[0].hi, outer_r.hi}, outer_u)) outer_g.push_back(g);
        inner_g = fold_groups(inner_r, inner_u);
      }
      const std::vector<Range>& f1s = m_g.p1_outer ? outer_g : inner_g;
      const std::vector<Range>& f2s = m_g.p1_outer ? inner_g : outer_g;
      CommandDeps x1_loads, x2_loads;
      if (by_fold) {
        std::vector<Piece> p1, p2;
        const TileKey b1 = block_of(Tensor::x1, inst, r1, r2, s1), b2 = block_of(Tensor::x2, inst, r1, r2, s2);
        for (std::size_t i = 0; i < f1s.size(); ++i)
          p1.push_back({bytes_of(Tensor::x1, f1s[i].len(), s1.len()), flat_rows(inst, f1s[i], r2, s1), b1, false});
        for (std::size_t i = 0; i < f2s.size(); ++i)
          p2.push_back({bytes_of(Tensor::x2, f2s[i].len(), s2.len()), flat_rows(inst, r1, f2s[i], s2), b2, false});
        // The first fold's two pieces first, then the rest of the operand the outer fold loop walks last.
        load_interleaved(k1, p1, k2, p2, m_g.p1_outer, x1_loads, x2_loads);
      } else {
        load(m_x1, k1, bytes_of(Tensor::x1, r1.len(), s1.len()), deps, Tensor::x1, flat_rows(inst, r1, r2, s1),
             block_of(Tensor::x1, inst, r1, r2, s1));
        if (!out_x2)
          load(m_x2, k2, bytes_of(Tensor::x2, r2.len(), s2.len()), deps, Tensor::x2, flat_rows(inst, r1, r2, s2),
               block_of(Tensor::x2, inst, r1, r2, s2));
      }
      // (2) Where results go: a fresh output slot, resident partial sums, or spilled ones read back.
      SlotRing::Slot* slot = nullptr;
      if (!out_x2) {
        if (c == span.first) m_fold_slot = acquire_out(deps);
        slot = m_fold_slot;
      } else if (held) {
        if (first_k && m_chunk_store[static_cast<std::size_t>(c)]) deps.push_back(*m_chunk_store[static_cast<std::size_t>(c)]);
      } else if (in_place) {
        if (first_k) m_fold_slot = acquire_out(deps);
        slot = m_fold_slot;
      } else {
        slot = acquire_out(deps);
      }
      if (!first_k && m_g.spills(m_df)) load_psum({inst, i1 - 1, i2, c}, acc_bytes(r2.len(), rs.len()), deps);
      // (3) The array command: whole folds, one chunk of one fold, or one chunk of every fold of the tile.
      const i64 chunk_slots = slots_upto(rs.hi) - slots_upto(rs.lo);
      if (m_g.reload) place(tile_folds, chunk_slots);
      const i64 stop = m_g.reload ? chunk_slots : chunked ? slots_upto(rs.hi) - live_lo : slots_upto(m_sizes.s);
      const bool starts_fold = !chunked || m_g.reload || c == span.first;
      const bool ends_fold = m_g.reload || c == span.last, accumulates = !first_k || (m_g.reload && c > span.first);
      // A tile run by fold groups (its folds run outer-major): the outer loop's first fold with each inner
      // group in turn, then each further outer group with the whole inner range; each command ends at the
      // placement of its last fold. Otherwise one command for the tile.
      CommandId id = 0;
      if (!by_fold) {
        id = array(r1, r2, rs, stop, starts_fold, ends_fold, accumulates, std::move(deps), m_placements - 1);
      } else {
        const i64 base = m_placements - tile_folds, inner_folds = ceil_div(inner_r.len(), inner_u);
        CommandDeps& outer_loads = m_g.p1_outer ? x1_loads : x2_loads;
        CommandDeps& inner_loads = m_g.p1_outer ? x2_loads : x1_loads;
        auto run = [&](Range og, Range ig, CommandDeps extra, i64 last) {
          CommandDeps d = deps;
          d.insert(d.end(), extra.begin(), extra.end());
          const Range g1 = m_g.p1_outer ? og : ig, g2 = m_g.p1_outer ? ig : og;
          id = array(g1, g2, rs, stop, starts_fold, ends_fold, accumulates, std::move(d), last);
        };
        for (std::size_t b = 0; b < inner_g.size(); ++b)
          run(outer_g[0], inner_g[b], {outer_loads[0], inner_loads[b]},
              base + ceil_div(inner_g[b].hi - inner_r.lo, inner_u) - 1);
        for (std::size_t a = 1; a < outer_g.size(); ++a) {
          CommandDeps extra = inner_loads;
          extra.push_back(outer_loads[a]);
          run(outer_g[a], inner_r, std::move(extra),
              base + ceil_div(outer_g[a].hi - outer_r.lo, outer_u) * inner_folds - 1);
        }
      }
      m_stat.current().last_user = id;
      m_x1.current().last_user = id;
      if (!out_x2) m_x2.current().last_user = id;
      // (4) Final results after the last K tile (OS: the fold's last chunk), else spilled partial sums.
      const Range rows = flat_rows(inst, r1, r2, rs);
      if (!out_x2 && c == span.last)
        queue_store(id, bytes_of(Tensor::stat, r1.len(), r2.len()), rows, std::nullopt, slot, c);
      else if (out_x2 && last_k)
        queue_store(id, bytes_of(Tensor::x2, r2.len(), rs.len()), rows, std::nullopt, slot, c);
      else if (out_x2 && m_g.spills(m_df))
        queue_store(id, acc_bytes(r2.len(), rs.len()), {0, 0}, TileKey{inst, i1, i2, c}, slot, c);
    }
    m_first_tile = false;
  }

  static std::vector<Range> fold_groups(Range r, i64 unit) {
    std::vector<Range> out;
    for (const FoldGroup& g : first_tile_fold_groups(r.lo, r.hi, unit)) out.push_back({g.lo, g.hi});
    return out;
  }

  // A piece of an operand tile that one DMA loads.
  struct Piece {
    u64 bytes;
    Range rows;     // flat rows of A it covers (row-level dependencies)
    TileKey block;  // the whole tile's block in the operand: staging in the global buffer is per tile
    bool last;      // the tile's last piece: once it is in, the tile counts as staged
  };

  // Loads an operand tile into the next slot of its ring unless it is still resident there. A staged
  // DRAM operand comes from DRAM the first time any core reads the block, then from the global buffer.
  void load(SlotRing& ring, const TileKey& k, u64 bytes, CommandDeps& deps, Tensor t, Range rows,
            const TileKey& block) {
    if (ring.current().key == k) {
      if (ring.current().last_user) deps.push_back(*ring.current().last_user);
      return;
    }
    const std::optional<CommandId> freed = claim(ring, k);
    const CommandId id = load_piece(t, {bytes, rows, block, true}, freed);
    ring.current().last_user = id;
    deps.push_back(id);
  }

  // The first tile's two streamed operands in fold-sized pieces, into fresh slots of their rings: the pieces
  // of the first fold first, then the inner loop's pieces, then the outer loop's.
  void load_interleaved(const TileKey& k1, const std::vector<Piece>& p1, const TileKey& k2, const std::vector<Piece>& p2,
                        bool p1_outer, CommandDeps& x1, CommandDeps& x2) {
    const std::optional<CommandId> free1 = claim(m_x1, k1), free2 = claim(m_x2, k2);
    // A staged tile counts as staged once all its pieces are in (the last one issued is the last to end).
    auto mark_last = [](std::vector<Piece> v) {
      v.back().last = true;
      return v;
    };
    const std::vector<Piece> q1 = mark_last(p1), q2 = mark_last(p2);
    auto one = [&](Tensor t, const Piece& piece, const std::optional<CommandId>& freed) {
      return load_piece(t, piece, freed);
    };
    x1.push_back(one(Tensor::x1, q1[0], free1));
    x2.push_back(one(Tensor::x2, q2[0], free2));
    const std::vector<Piece>& inner = p1_outer ? q2 : q1;
    const std::vector<Piece>& outer = p1_outer ? q1 : q2;
    for (std::size_t i = 1; i < inner.size(); ++i)
      (p1_outer ? x2 : x1).push_back(one(p1_outer ? Tensor::x2 : Tensor::x1, inner[i], p1_outer ? free2 : free1));
    for (std::size_t i = 1; i < outer.size(); ++i)
      (p1_outer ? x1 : x2).push_back(one(p1_outer ? Tensor::x1 : Tensor::x2, outer[i], p1_outer ? free1 : free2));
    m_x1.current().last_user = x1.back();
    m_x2.current().last_user = x2.back();
  }

  // Takes the ring's next slot for tile `k`; returns the command the slot's previous tile waits for.
  static std::optional<CommandId> claim(SlotRing& ring, const TileKey& k) {
    SlotRing::Slot& slot = ring.advance();
    slot.key = k;
    return slot.last_user;
  }

  // One DMA of a piece of an operand, after its producers and after `freed` (its slot's previous user).
  CommandId load_piece(Tensor t, const Piece& piece, const std::optional<CommandId>& freed) {
    const bool is_a = operand_of(m_df, t) == GemmOperand::a;
    CommandDeps wait;
    if (is_a) m_c.row_deps(m_op, piece.rows.lo, piece.rows.hi, wait);
    else wait = m_b_prod;
    if (freed) wait.push_back(*freed);
    MemoryTarget src = is_a ? m_c.a_source(m_op) : m_c.b_source(m_op);
    const TileKey staged = staged_key(piece.block, is_a);
    if (src == MemoryTarget::dram && m_whole.staged) {
      if (auto first = m_c.m_staged.find(staged); first != m_c.m_staged.end())
        src = MemoryTarget::global_buffer, wait.push_back(first->second);
    }
    const CommandId id = m_c.dma(m_core, piece.bytes, false, std::move(wait), src);
    (is_a ? m_c.plan().sram.ifmap_write : m_c.plan().sram.weight_write) += piece.bytes;
    if (src == MemoryTarget::dram && m_whole.staged) {
      if (piece.last) m_c.m_staged.emplace(staged, id);
      m_c.plan().sram.global_write += piece.bytes;  // the staged copy
    }
    return id;
  }

  // Reads back the partial sums an earlier K tile spilled, after the store that wrote them.
  void load_psum(const TileKey& k, u64 bytes, CommandDeps& deps) {
    if (m_pending && m_pending->psum == k) flush_store();
    CommandDeps wait;
    if (auto it = m_psum_store.find(k); it != m_psum_store.end()) wait.push_back(it->second);
    deps.push_back(m_c.dma(m_core, bytes, false, std::move(wait), m_spill));
    m_c.plan().sram.ofmap_write += bytes;
  }

  SlotRing::Slot* acquire_out(CommandDeps& deps) {
    flush_store();
    SlotRing::Slot& slot = m_out.advance();
    if (slot.last_user) deps.push_back(*slot.last_user);
    return &slot;
  }

  void place(i64 folds, i64 slots) {
    if (!m_runs.empty() && m_runs.back().slots == slots) m_runs.back().count += folds;
    else m_runs.push_back({folds, slots});
    m_placements += folds;
  }

  CommandId array(Range r1, Range r2, Range rs, i64 stop, bool starts_fold, bool ends_fold, bool accumulates,
                  CommandDeps deps, i64 last_placement) {
    Command cmd;
    cmd.unit = UnitKind::array;
    cmd.core = m_core;
    const GemmShape gs = shape(r1, r2, rs);
    cmd.macs = u64(gs.m) * u64(gs.n) * u64(gs.k);
    cmd.segment = {static_cast<std::size_t>(last_placement), stop};
    cmd.deps = std::move(deps);
    cmd.sram_bytes = m_c.count_array_sram(m_whole, gs, starts_fold, ends_fold, accumulates);
    m_c.plan().tiles++;
    const CommandId id = m_c.emit(std::move(cmd));
    m_array.push_back(id);
    return id;
  }

  // A tile's store is issued after the next tile's loads, so the load DMA prefetches tile i+1 while the
  // array computes tile i (double buffering).
  void queue_store(CommandId compute, u64 bytes, Range rows, std::optional<TileKey> psum, SlotRing::Slot* slot, i64 c) {
    flush_store();
    const MemoryTarget partials = m_whole.c_on_chip ? MemoryTarget::global_buffer : MemoryTarget::dram;
    const MemoryTarget target = psum ? m_spill : m_partial ? partials : m_c.output_target();
    m_pending = PendingStore{ProgramBuilder::dma_command(m_core, bytes, true, {compute}, target), rows, psum, slot, c};
  }

  void flush_store() {
    if (!m_pending) return;
    const CommandId id = m_c.emit(std::move(m_pending->cmd));
    m_c.plan().sram.ofmap_read += m_c.m_prog.commands[id].dram_bytes;
    if (m_pending->slot) m_pending->slot->last_user = id;
    if (m_pending->psum) m_psum_store[*m_pending->psum] = id;
    else if (m_partial) m_c.m_partial_rows.add(m_pending->rows.lo, m_pending->rows.hi, m_core, id);
    else m_c.m_rows[static_cast<std::size_t>(m_c.m_op)].add(m_pending->rows.lo, m_pending->rows.hi, m_core, id);
    m_chunk_store[static_cast<std::size_t>(m_pending->chunk)] = id;
    m_pending.reset();
  }

  // Busy cycles of each array command: the share's folds form one chain (fold_chain.h), so a tile
  // boundary inside a fold costs nothing and the commands add up to the chain's closed form.
  void time_chain() {
    const ArrayShape shape{m_c.m_arch.systolic.rows, m_c.m_arch.systolic.cols};
    const FoldChain chain(m_df, m_c.m_arch.systolic.timing, shape, std::move(m_runs));
    m_c.plan().fill_drain_cycles += static_cast<u64>(chain.end() - chain.stream_cycles());
    std::vector<ChainSegment> segments;
    for (CommandId id : m_array) segments.push_back(m_c.m_prog.commands[id].segment);
    const std::vector<i64> ends = command_ends(chain, segments);
    i64 prev = 0;
    for (std::size_t i = 0; i < m_array.size(); ++i) {
      m_c.m_prog.commands[m_array[i]].cycles = static_cast<u64>(ends[i] - prev);
      prev = ends[i];
    }
  }

  ProgramBuilder& m_c;
  const Op& m_op;
  int m_core;
  bool m_partial;  // a K share: its results are partial sums for the reduction
  SlotRing m_stat, m_x1, m_x2, m_out;
  MemoryTarget m_spill;
  std::vector<std::optional<CommandId>> m_chunk_store;  // last store of each stream chunk
  std::optional<PendingStore> m_pending;
  std::map<TileKey, CommandId> m_psum_store;  // spilled partial sums: the store that wrote them
  CommandDeps m_b_prod, m_array;
  SlotRing::Slot* m_fold_slot = nullptr;  // output slot held across a fold's chunks or a tile's K tiles
  std::vector<FoldRun> m_runs;            // the fold placements so far on this core, as runs
  i64 m_placements = 0;
  TileSpans m_spans;                      // the chunks that run under a causal mask (all, without one)
  bool m_first_tile = true;               // the share's first tile has not been emitted yet
};

}  // namespace

std::vector<FoldGroup> first_tile_fold_groups(std::int64_t lo, std::int64_t hi, std::int64_t unit) {
  const i64 step = unit * ceil_div(ceil_div(hi - lo, unit), kMaxFoldGroups);
  std::vector<FoldGroup> out;
  for (i64 a = lo; a < hi; a += step) out.push_back({a, std::min(hi, a + step)});
  return out;
}

void emit_matmul_share(ProgramBuilder& builder, const Op& op, const GemmProblem& whole, int core, const CoreGemm& share,
                       bool partial) {
  MatmulEmitter(builder, op, whole, core, share, partial).run();
}

}  // namespace catsim
