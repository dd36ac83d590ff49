#include "sim/analytic/op_tally.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "arch/int_math.h"
#include "sim/compile/compiler.h"
#include "sim/compile/core_split.h"
#include "sim/compile/op_timer.h"
#include "sim/compile/matmul_emitter.h"
#include "sim/compile/program_builder.h"
#include "sim/compile/share_geometry.h"
#include "sim/compile/tile_spans.h"
#include "sim/systolic/fold_chain.h"

namespace catsim {

std::vector<OpTally> tally_program(const Program& program, std::size_t ops) {
  std::vector<OpTally> t(ops);
  for (auto& o : t) o.array.assign(static_cast<std::size_t>(program.cores), 0), o.vector = o.array;
  for (const Command& c : program.commands) {
    OpTally& o = t[static_cast<std::size_t>(c.op)];
    if (c.unit == UnitKind::array) o.array[c.core] += c.cycles, o.macs += c.macs;
    if (c.unit == UnitKind::vector) o.vector[c.core] += c.cycles;
    if (!is_dma(c.unit)) continue;
    const bool load = c.unit == UnitKind::dma_load;
    if (c.memory == MemoryTarget::dram)
      (load ? o.dram_read : o.dram_write) += c.dram_bytes;
    else
      (load ? o.global_read : o.global_write) += c.dram_bytes;
    o.dma++;
  }
  return t;
}

namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

// Bytes a share loads or stores, by what they are; the op decides where results and partial sums go.
struct ShareBytes {
  u64 dram_read = 0, global_read = 0;  // operand loads, by where they came from
  u64 staged = 0;                      // operand bytes copied into the global buffer on their first read
  u64 psum_read = 0, psum_write = 0;   // spilled partial sums
  u64 out = 0;                         // results (a K share's: its partial sums)
  u64 loads = 0, stores = 0;           // DMA commands
  // Adds `times` x `o`.
  void add(const ShareBytes& o, u64 times) {
    for (auto f : {&ShareBytes::dram_read, &ShareBytes::global_read, &ShareBytes::staged, &ShareBytes::psum_read,
                   &ShareBytes::psum_write, &ShareBytes::out, &ShareBytes::loads, &ShareBytes::stores})
      this->*f += o.*f * times;
  }
};

// Walks one core's share in the emitter's order (matmul_emitter.cpp: instances, tiles in loop order, the
// chunks a causal mask leaves), counting what each step loads, runs and stores instead of emitting it.
class ShareWalk : ShareGeometry {
 public:
  // `sources`: where operands A and B are read from (a staged DRAM operand: from the global buffer once
  // any share of the op has read the block, builder.m_staged).
  ShareWalk(ProgramBuilder& b, const GemmProblem& whole, const CoreGemm& cg,
            std::pair<MemoryTarget, MemoryTarget> sources)
      : ShareGeometry(b.m_arch.systolic.dataflow, whole, cg.share, cg.mapping),
        m_b(b),
        m_sources(sources),
        m_spans(m_df, cg.mapping, m_sizes, cg.share.problem(whole).causal) {}

  // Returns the share's array cycles (its fold chain); bytes, MACs and SRAM counts go to `bytes`, `macs`
  // and the builder's plan.
  u64 run(ShareBytes& bytes, u64& macs) {
    m_bytes = &bytes, m_macs = &macs;
    const i64 instances = m_share.inst1 - m_share.inst0;
    // Instances after the first run alike (only the share's first tile runs by fold groups): without
    // staging, whose blocks other shares may read, the second one is counted and repeated.
    const bool repeat = !m_whole.staged && instances > 2;
    for (i64 inst = 0; inst < (repeat ? 1 : instances); ++inst) instance(inst);
    if (repeat) repeated_instance(u64(instances - 1));
    m_b.plan().skipped_tiles += u64(m_spans.skipped()) * u64(instances);
    const ArrayShape shape{m_b.m_arch.systolic.rows, m_b.m_arch.systolic.cols};
    const FoldChain chain(m_df, m_b.m_arch.systolic.timing, shape, std::move(m_runs));
    m_b.plan().fill_drain_cycles += static_cast<u64>(chain.end() - chain.stream_cycles());
    return static_cast<u64>(chain.end());
  }

 private:
  using Key = std::tuple<i64, i64, i64, i64>;

  void place(i64 folds, i64 slots) {
    if (!m_runs.empty() && m_runs.back().slots == slots)
      m_runs.back().count += folds;
    else
      m_runs.push_back({folds, slots});
  }
  // One operand load (a piece of `block`; the last piece marks a staged block as staged). SramTraffic: an
  // A tile lands in the ifmap buffer, B in weights, a staged copy in the global buffer.
  void load(Tensor t, u64 bytes, const TileKey& block, bool last = true) {
    const bool a = operand_of(m_df, t) == GemmOperand::a;
    MemoryTarget src = a ? m_sources.first : m_sources.second;
    const bool staged = src == MemoryTarget::dram && m_whole.staged;
    const TileKey key = staged_key(block, a);
    if (staged && m_b.m_staged.count(key)) src = MemoryTarget::global_buffer;
    (src == MemoryTarget::dram ? m_bytes->dram_read : m_bytes->global_read) += bytes;
    if (staged && src == MemoryTarget::dram) {
      m_bytes->staged += bytes;
      if (last) m_b.m_staged.emplace(key, 0);
    }
    (a ? m_b.plan().sram.ifmap_write : m_b.plan().sram.weight_write) += bytes;
    m_bytes->loads++;
  }
  void array(Range r1, Range r2, Range rs, bool starts_fold, bool ends_fold, bool accumulates) {
    const GemmShape gs = shape(r1, r2, rs);
    *m_macs += u64(gs.m) * u64(gs.n) * u64(gs.k);
    m_b.count_array_sram(m_whole, gs, starts_fold, ends_fold, accumulates);
    m_b.plan().tiles++;
  }
  void store(u64 bytes, bool psum) {
    (psum ? m_bytes->psum_write : m_bytes->out) += bytes;
    m_b.plan().sram.ofmap_read += bytes;
    m_bytes->stores++;
  }

  void instance(i64 inst) {
    const i64 outer = m_g.p1_outer ? m_g.n1 : m_g.n2, inner = m_g.p1_outer ? m_g.n2 : m_g.n1;
    for (i64 o = 0; o < outer; ++o)
      for (i64 i = 0; i < inner; ++i) tile(inst, m_g.p1_outer ? o : i, m_g.p1_outer ? i : o);
  }

  // Instance 1 counted on its own, from zero, and added `times` times (its placements in order).
  void repeated_instance(u64 times) {
    SramTraffic& sram = m_b.plan().sram;
    u64& tiles = m_b.plan().tiles;
    const ShareBytes bytes_before = std::exchange(*m_bytes, {});
    const u64 macs_before = std::exchange(*m_macs, 0), tiles_before = std::exchange(tiles, 0);
    const SramTraffic sram_before = std::exchange(sram, {});
    std::vector<FoldRun> runs_before = std::exchange(m_runs, {});
    instance(1);
    const ShareBytes one = std::exchange(*m_bytes, bytes_before);
    m_bytes->add(one, times);
    *m_macs = macs_before + *m_macs * times;
    tiles = tiles_before + tiles * times;
    const SramTraffic one_sram = std::exchange(sram, sram_before);
    sram.add(one_sram, times);
    const std::vector<FoldRun> one_runs = std::exchange(m_runs, std::move(runs_before));
    for (u64 k = 0; k < times; ++k)
      for (const FoldRun& r : one_runs) place(r.count, r.slots);
  }

  void tile(i64 inst, i64 i1, i64 i2) {
    const ChunkSpan& span = m_spans.span(i1, i2);
    if (span.empty()) return;
    const Range r1 = p1_range(i1), r2 = p2_range(i2), whole_s{0, m_sizes.s};
    const bool out_x2 = m_df != Dataflow::os, chunked = m_g.ns > 1, first_k = !out_x2 || i1 == 0;
    const i64 live_lo = slots_upto(s_range(span.first).lo);
    if (out_x2)
      load(Tensor::stat, bytes_of(Tensor::stat, r1.len(), r2.len()),
           block_of(Tensor::stat, inst, r1, r2, whole_s));
    const i64 tile_folds = ceil_div(r1.len(), m_g.u1) * ceil_div(r2.len(), m_g.u2);
    if (!chunked)
      place(tile_folds, slots_upto(m_sizes.s));
    else if (!m_g.reload)
      place(1, slots_upto(s_range(span.last).hi) - live_lo);
    for (i64 c = span.first; c <= span.last; ++c) {
      const Range rs = s_range(c);
      const bool last_k = !out_x2 || m_spans.last_k(i1, i2, c);
      const Range s1 = m_g.hold_x1 ? whole_s : rs, s2 = m_g.hold_x2 ? whole_s : rs;
      const Key k1 = m_g.hold_x1 ? Key{inst, i1, -1, -1} : Key{inst, i1, i2, c};
      const Key k2 = m_g.hold_x2 ? Key{inst, -1, i2, -1} : Key{inst, i1, i2, c};
      const bool by_fold =
          !out_x2 && m_first_tile && c == span.first && tile_folds > 1 && !(chunked && !m_g.reload);
      const bool starts_fold = !chunked || m_g.reload || c == span.first, ends_fold = m_g.reload || c == span.last,
                 accumulates = !first_k || (m_g.reload && c > span.first);
      if (by_fold) {
        first_tile(inst, r1, r2, rs, s1, s2, starts_fold, ends_fold, accumulates);
        m_k1 = k1, m_k2 = k2;
      } else {
        if (m_k1 != k1)
          load(Tensor::x1, bytes_of(Tensor::x1, r1.len(), s1.len()), block_of(Tensor::x1, inst, r1, r2, s1)),
              m_k1 = k1;
        if (!out_x2 && m_k2 != k2)
          load(Tensor::x2, bytes_of(Tensor::x2, r2.len(), s2.len()), block_of(Tensor::x2, inst, r1, r2, s2)),
              m_k2 = k2;
        array(r1, r2, rs, starts_fold, ends_fold, accumulates);
      }
      if (!first_k && m_g.spills(m_df)) {
        m_bytes->psum_read += acc_bytes(r2.len(), rs.len()), m_bytes->loads++;
        m_b.plan().sram.ofmap_write += acc_bytes(r2.len(), rs.len());
      }
      if (m_g.reload) place(tile_folds, slots_upto(rs.hi) - slots_upto(rs.lo));
      if (!out_x2 && c == span.last)
        store(bytes_of(Tensor::stat, r1.len(), r2.len()), false);
      else if (out_x2 && last_k)
        store(bytes_of(Tensor::x2, r2.len(), rs.len()), false);
      else if (out_x2 && m_g.spills(m_df))
        store(acc_bytes(r2.len(), rs.len()), true);
    }
    m_first_tile = false;
  }

  // The share's first OS tile, run by fold groups (matmul_emitter.h): one load per group of each operand,
  // one array command per pair the emitter runs (the outer loop's first fold with each inner group, then
  // each further outer group with the whole inner range).
  void first_tile(i64 inst, Range r1, Range r2, Range rs, Range s1, Range s2, bool starts_fold, bool ends_fold,
                  bool accumulates) {
    const Range outer_r = m_g.p1_outer ? r1 : r2, inner_r = m_g.p1_outer ? r2 : r1;
    const i64 outer_u = m_g.p1_outer ? m_g.u1 : m_g.u2, inner_u = m_g.p1_outer ? m_g.u2 : m_g.u1;
    std::vector<Range> outer_g{{outer_r.lo, std::min(outer_r.hi, outer_r.lo + outer_u)}}, inner_g;
    for (const FoldGroup& g : first_tile_fold_groups(outer_g[0].hi, outer_r.hi, outer_u))
      outer_g.push_back({g.lo, g.hi});
    for (const FoldGroup& g : first_tile_fold_groups(inner_r.lo, inner_r.hi, inner_u))
      inner_g.push_back({g.lo, g.hi});
    // The emitter loads the first fold's two pieces, then the inner loop's, then the outer loop's; a block
    // counts as staged after its last piece, so every piece of this tile comes from the same place.
    const std::vector<Range>& f1s = m_g.p1_outer ? outer_g : inner_g;
    const std::vector<Range>& f2s = m_g.p1_outer ? inner_g : outer_g;
    const TileKey b1 = block_of(Tensor::x1, inst, r1, r2, s1), b2 = block_of(Tensor::x2, inst, r1, r2, s2);
    for (std::size_t i = 0; i < f1s.size(); ++i)
      load(Tensor::x1, bytes_of(Tensor::x1, f1s[i].len(), s1.len()), b1, i + 1 == f1s.size());
    for (std::size_t i = 0; i < f2s.size(); ++i)
      load(Tensor::x2, bytes_of(Tensor::x2, f2s[i].len(), s2.len()), b2, i + 1 == f2s.size());
    auto run = [&](Range og, Range ig) {
      array(m_g.p1_outer ? og : ig, m_g.p1_outer ? ig : og, rs, starts_fold, ends_fold, accumulates);
    };
    for (const Range& ig : inner_g) run(outer_g[0], ig);
    for (std::size_t a = 1; a < outer_g.size(); ++a) run(outer_g[a], inner_r);
  }

  ProgramBuilder& m_b;
  std::pair<MemoryTarget, MemoryTarget> m_sources;
  TileSpans m_spans;
  std::vector<FoldRun> m_runs;
  Key m_k1{-2, -2, -2, -2}, m_k2{-2, -2, -2, -2};  // the tile each streamed operand's slot holds
  bool m_first_tile = true;
  ShareBytes* m_bytes = nullptr;
  u64* m_macs = nullptr;
};

// Walks the graph like the compiler (compiler.cpp) and tallies each op in closed form.
class Tallier : public ProgramBuilder {
 public:
  Tallier(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph, MapperChoice choice)
      : ProgramBuilder(arch, model, graph), m_choice(choice) {}

  GraphTally run() {
    check_dram_capacity();
    m_tally.resize(m_graph.ops.size());
    for (std::size_t i = 0; i < m_graph.ops.size(); ++i) {
      m_op = static_cast<int>(i);
      const Op& op = m_graph.ops[i];
      m_tally[i].array.assign(static_cast<std::size_t>(m_arch.cores), 0);
      m_tally[i].vector = m_tally[i].array;
      if (is_matmul(op.kind))
        matmul(op);
      else if (is_vector(op.kind))
        vector(op);
      else
        transfer(op);
    }
    return {std::move(m_prog.ops), std::move(m_tally)};
  }

 private:
  // What an op tallies to and what it writes into its plan: kept per distinct problem, so the next op of
  // the same shape, precisions and residency (every layer of a stack) is a copy.
  struct Counted {
    OpTally tally;  // matmuls: per share index, before the shares are rotated onto the physical cores
    SramTraffic sram;
    VectorOpCounts vector_ops;
    u64 tiles = 0, skipped = 0, compulsory = 0, fill_drain = 0;
    std::string note;
    GemmSplit split;  // matmuls
  };
  // Moves what the current op's plan counted into a record (and clears the plan's counts).
  Counted take_counts(OpTally t) {
    OpPlan& plan = this->plan();
    Counted c{std::move(t),
              plan.sram,
              plan.vector_ops,
              plan.tiles,
              plan.skipped_tiles,
              plan.compulsory_dram_bytes,
              plan.fill_drain_cycles,
              std::move(plan.note),
              {}};
    plan.sram = {}, plan.vector_ops = {}, plan.tiles = plan.skipped_tiles = plan.fill_drain_cycles = 0;
    return c;
  }
  void give_counts(const Counted& c) {
    OpPlan& plan = this->plan();
    plan.note = c.note;
    plan.sram = c.sram;
    plan.vector_ops = c.vector_ops;
    plan.tiles = c.tiles, plan.skipped_tiles = c.skipped, plan.compulsory_dram_bytes = c.compulsory;
    plan.fill_drain_cycles = c.fill_drain;
  }

  OpTally& tally() { return m_tally[static_cast<std::size_t>(m_op)]; }

  // `commands` DMAs moving `total` bytes between the scratchpad and `memory`, as emit() counts them.
  void dma(OpTally& t, MemoryTarget memory, bool store, u64 total, u64 commands) {
    if (memory == MemoryTarget::dram) {
      (store ? t.dram_write : t.dram_read) += total;
    } else {
      (store ? t.global_write : t.global_read) += total;
      (store ? plan().sram.global_write : plan().sram.global_read) += total;
    }
    t.dma += commands;
  }
  void matmul(const Op& op) {
    const GemmProblem p = gemm_problem(op);
    plan().compute = compute_precision(op.a_prec, op.b_prec);
    plan().gemm = p;
    const Counted& m = count(op, p);
    give_counts(m);
    OpPlan& plan = this->plan();
    plan.compulsory_dram_bytes = compulsory_bytes(op);
    // Share j runs on core (m_next_core + j), as the compiler rotates them.
    OpTally& t = tally();
    t = m.tally;
    for (int core = 0; core < m_arch.cores; ++core) {
      const int j = (core - m_next_core + m_arch.cores) % m_arch.cores;
      plan.cores.push_back({m.split.shares[j], m.split.mappings[j]});
      t.array[core] = m.tally.array[j], t.vector[core] = m.tally.vector[j];
    }
    m_next_core = (m_next_core + m.split.used) % m_arch.cores;
  }

  const Counted& count(const Op& op, const GemmProblem& p) {
    const int siblings = sibling_group();
    const auto key = std::pair(gemm_problem_key(p), siblings);
    for (const auto& [k, c] : m_counted)
      if (k == key) return c;
    std::optional<GemmSplit> split = choose_split(*this, op, p, m_choice, nullptr, siblings);
    if (!split) throw_no_fit(op, p);
    check_matmul_size(op, p, *split);  // bounds the walk below; refused as the compiler refuses this op alone
    // Counted into this op's plan (the helpers write there), then kept for the next op of the same problem.
    OpPlan& plan = this->plan();
    plan.note = describe(*split);
    OpTally t;
    t.array.assign(static_cast<std::size_t>(m_arch.cores), 0), t.vector = t.array;
    const bool k_split = split->axis == SplitAxis::k;
    const GemmProblem emitted = k_split ? partial_sums_problem(m_arch, p, split->used) : p;
    ShareBytes bytes;
    m_staged.clear();
    for (int j = 0; j < m_arch.cores; ++j) {
      const CoreGemm cg{split->shares[j], split->mappings[j]};
      if (cg.share.empty()) continue;
      t.array[j] = ShareWalk(*this, emitted, cg, {a_source(op), b_source(op)}).run(bytes, t.macs);
    }
    m_staged.clear();
    dma(t, MemoryTarget::dram, false, bytes.dram_read, 0);
    dma(t, MemoryTarget::global_buffer, false, bytes.global_read, 0);
    plan.sram.global_write += bytes.staged;
    dma(t, spill_target(emitted), false, bytes.psum_read, 0);
    dma(t, spill_target(emitted), true, bytes.psum_write, 0);
    const MemoryTarget partials = emitted.c_on_chip ? MemoryTarget::global_buffer : MemoryTarget::dram;
    dma(t, k_split ? partials : output_target(), true, bytes.out, 0);
    t.dma += bytes.loads + bytes.stores;
    if (k_split) reduce(p, split->used, t);
    note_skipped_tiles();
    Counted c = take_counts(std::move(t));
    c.split = std::move(*split);
    m_counted.emplace_back(key, std::move(c));
    return m_counted.back().second;
  }

  // The reduction of a K split (compiler.cpp reduce_partials): its chunks come in at most four sizes per
  // core (full or last rows x full or last columns), each counted once and multiplied. Shares are indexed
  // from the first core of the split, as count() keeps them before rotation.
  void reduce(const GemmProblem& p, int parts, OpTally& t) {
    const MemoryTarget from =
        partials_on_chip(m_arch, p, parts) ? MemoryTarget::global_buffer : MemoryTarget::dram;
    const u64 acc = u64(p.acc_bits) / 8;
    for (const ReductionShare& s : reduction_shares(p, parts, 0)) {
      const i64 rows = s.r1 - s.r0, cols = s.c1 - s.c0;
      for (const auto& [r, nr] :
           {std::pair{s.chunk_rows, rows / s.chunk_rows}, std::pair{rows % s.chunk_rows, i64{1}}})
        for (const auto& [w, nw] : {std::pair{s.width, cols / s.width}, std::pair{cols % s.width, i64{1}}}) {
          if (r == 0 || w == 0 || nr == 0 || nw == 0) continue;
          const u64 times = u64(nr) * u64(nw), elements = u64(r) * u64(w);
          t.vector[s.core] += count_reduction_chunk(p, parts, elements, times) * times;
          dma(t, from, false, elements * acc * times * u64(parts), times * u64(parts));
          dma(t, output_target(), true, element_bytes(p.out, elements) * times, times);
        }
    }
  }

  // A vector op (compiler.cpp vector): each core's rows in full chunks and one last, shorter chunk.
  void vector(const Op& op) {
    const MemoryTarget source = source_of_all(op), target = output_target();
    const VectorKey key{op.kind,    op.count,    op.m,      op.n,     op.inputs, op.act, op.a_prec,
                        op.out_prec, op.a_bytes, op.out_bytes, source, target};
    auto it = std::find_if(m_vectors.begin(), m_vectors.end(), [&](const auto& v) { return v.first == key; });
    if (it == m_vectors.end()) {
      const VectorLayout l = vector_layout(op);  // sets the note and compulsory bytes
      OpTally t = tally();
      for (int core = 0; core < m_arch.cores; ++core) {
        const i64 begin = std::min(l.rows, l.share * core), end = std::min(l.rows, l.share * (core + 1));
        for (const auto& [r, n] :
             {std::pair{l.chunk, (end - begin) / l.chunk}, std::pair{(end - begin) % l.chunk, i64{1}}}) {
          if (r == 0 || n == 0) continue;
          t.vector[core] += count_vector_chunk(op, l, r, u64(n)) * u64(n);
          dma(t, source, false, l.row_in * u64(r) * u64(n), u64(n));
          dma(t, target, true, l.row_out * u64(r) * u64(n), u64(n));
        }
      }
      m_vectors.emplace_back(key, take_counts(std::move(t)));
      it = std::prev(m_vectors.end());
    }
    give_counts(it->second);
    tally() = it->second.tally;
  }

  // Transfers (compiler.cpp transfer): the embedding gather; KV-cache ops move bytes counted elsewhere.
  void transfer(const Op& op) {
    for (const GatherShare& s : plan_transfer(op)) {
      dma(tally(), MemoryTarget::dram, false, s.in_bytes, 1);
      dma(tally(), output_target(), true, s.out_bytes, 1);
    }
  }

  MapperChoice m_choice;
  std::vector<OpTally> m_tally;
  std::vector<std::pair<std::pair<GemmProblemKey, int>, Counted>> m_counted;  // by problem and sibling group size
  // Everything a vector op's layout, counts and compulsory bytes depend on.
  using VectorKey = std::tuple<OpKind, i64, i64, i64, int, Activation, Precision, Precision, u64, u64,
                               MemoryTarget, MemoryTarget>;
  std::vector<std::pair<VectorKey, Counted>> m_vectors;
  int m_next_core = 0;
};

}  // namespace

GraphTally tally_graph(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph, MapperChoice choice) {
  return Tallier(arch, model, graph, choice).run();
}

}  // namespace catsim
