#include "sim/compile/compiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include "arch/config/error.h"
#include "arch/int_math.h"
#include "sim/compile/core_split.h"
#include "sim/compile/row_index.h"
#include "sim/compile/tile_spans.h"
#include "sim/systolic/fold_chain.h"
#include "sim/systolic/fold_timing.h"
#include "sim/vector/vector_cost.h"
#include "workloads/parameters.h"

namespace catsim {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

constexpr std::size_t kMaxCommands = 4'000'000;  // ~0.7 GB of program, ~2 s of simulation; Llama-2-7B prefill needs 0.44 M

// A double-buffered scratchpad region: a new tile goes into the slot after the current one and must
// wait until the command that last used that slot has finished with it. A ring starts out owned by the
// previous op's last two users on the same core, so an op's first tile may prefetch into the half the
// previous op has finished with, but never into the half it is still using.
// What a scratchpad slot holds: up to four indices naming a tile (instance, tile indices, chunk).
struct Key {
  i64 a = -2, b = -2, c = -2, d = -2;
  auto operator<=>(const Key&) const = default;
};

class SlotRing {
 public:
  struct Slot {
    Key key;
    std::optional<CommandId> last_user;
  };
  // `recent`: the core's last two releasing commands, older first (either may be absent).
  explicit SlotRing(const std::array<std::optional<CommandId>, 2>& recent) {
    m_slots[0].last_user = recent[0];
    m_slots[1].last_user = recent[1];
  }
  Slot& current() { return m_slots[m_cur]; }
  Slot& advance() {
    m_cur ^= 1;
    return m_slots[m_cur];
  }

 private:
  Slot m_slots[2];
  int m_cur = 1;  // the first advance() takes slot 0, released by the older command
};

// The last two commands of one kind on one core, older first.
struct RecentPair {
  std::array<std::optional<CommandId>, 2> ids;
  void push(CommandId id) { ids = {ids[1], id}; }
};

// Walks the op graph once, in order, emitting each op's commands per core and unit; it remembers each op's
// last commands so that consumers wait for exactly what they read, and where each result lives.
class Compiler {
 public:
  Compiler(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph)
      : m_arch(arch), m_model(model), m_graph(graph) {
    m_prog.cores = arch.cores;
    m_prog.ops.resize(graph.ops.size());
    m_done.resize(graph.ops.size());
    m_rows.resize(graph.ops.size());
    m_consumers.assign(graph.ops.size(), 0);
    m_feeds_cache.assign(graph.ops.size(), false);
    m_recent_compute.resize(static_cast<std::size_t>(arch.cores));
    m_recent_store.resize(static_cast<std::size_t>(arch.cores));
    for (std::size_t i = 0; i < graph.ops.size(); ++i)
      for (int d : graph.ops[i].deps) {
        m_consumers[d]++;
        if (graph.ops[i].kind == OpKind::kv_write) m_feeds_cache[d] = true;
      }
  }

  Program run() {
    check_dram_capacity();
    for (std::size_t i = 0; i < m_graph.ops.size(); ++i) {
      m_op = static_cast<int>(i);
      const Op& op = m_graph.ops[i];
      m_prog.ops[i].output_in_global_buffer = keeps_output_on_chip(op);
      m_rows[i] = RowIndex(output_rows(op));
      if (is_matmul(op.kind)) matmul(op);
      else if (is_vector(op.kind)) vector(op);
      else transfer(op);
    }
    return std::move(m_prog);
  }

 private:
  // (1) Capacity of DRAM: the weights, then the KV cache, must fit. Byte counts carry GiB beside them.
  static std::string bytes_gib(u64 bytes) {
    return fmt::format("{} bytes ({:.2f} GiB)", bytes, static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  }
  void check_dram_capacity() const {
    const u64 capacity = static_cast<u64>(m_arch.dram.capacity_gib * 1024.0 * 1024.0 * 1024.0);
    const u64 weights = weight_bytes(m_model);
    if (weights > capacity)
      throw ConfigError(m_arch.where("dram.capacity_gib"), "dram.capacity_gib",
                        fmt::format("model {} needs {} of weights, DRAM holds {}", m_model.name, bytes_gib(weights),
                                    bytes_gib(capacity)));
    if (weights + m_graph.kv_cache_bytes > capacity)
      throw ConfigError(m_arch.where("dram.capacity_gib"), "dram.capacity_gib",
                        fmt::format("KV cache overflow: the cache needs {}, DRAM has {} left after {} of weights",
                                    bytes_gib(m_graph.kv_cache_bytes), bytes_gib(capacity - weights),
                                    bytes_gib(weights)));
  }

  // A program beyond kMaxCommands would take gigabytes to hold and minutes to run: refuse it clearly,
  // before emitting an op's `upcoming` commands.
  void check_program_size(const Op& op, u64 upcoming) const {
    if (m_prog.commands.size() + upcoming <= kMaxCommands) return;
    throw ConfigError(m_arch.where("sram.kib"), "sram.kib",
                      fmt::format("the program exceeds {} tile commands at {} ({}): the scratchpad or the array is "
                                  "too small for this model (expected larger sram.kib or systolic rows/cols)",
                                  kMaxCommands, op.name, op.shape()));
  }

  // (2) Activation residency: an op's result stays in the shared global buffer when it fits a quarter of
  // it (room for the residual stream, the op's inputs and its output at once) and something reads it;
  // results written into the KV cache, and the graph's final outputs, go to DRAM.
  bool keeps_output_on_chip(const Op& op) const {
    const u64 global = static_cast<u64>(m_arch.sram.global_kib * 1024);
    return global > 0 && !m_feeds_cache[m_op] && m_consumers[m_op] > 0 && op.kind != OpKind::kv_read &&
           op.kind != OpKind::kv_write && op.out_bytes <= global / 4;
  }

  // (2b) Staging: a matmul whose DRAM operands fit 3/4 of the global buffer reads each block from DRAM once
  // and re-reads it from the global buffer (every core: one core's first read stages it for the others).
  bool stages_inputs(const Op& op) const {
    const u64 global = static_cast<u64>(m_arch.sram.global_kib * 1024);
    u64 from_dram = 0;
    if (a_source(op) == MemoryTarget::dram) from_dram += op.a_bytes;
    if (b_source(op) == MemoryTarget::dram) from_dram += op.b_bytes;
    const bool dram_is_free = m_arch.dram.model == DramModel::ideal;  // nothing to save
    return !dram_is_free && global > 0 && from_dram > 0 && from_dram <= global / 4 * 3;
  }

  // Where an input produced by `producer` is read from.
  MemoryTarget source_of(int producer) const {
    return producer >= 0 && m_prog.ops[producer].output_in_global_buffer ? MemoryTarget::global_buffer
                                                                          : MemoryTarget::dram;
  }
  MemoryTarget source_of_all(const Op& op) const {
    for (int d : op.deps)
      if (source_of(d) == MemoryTarget::dram) return MemoryTarget::dram;
    return op.deps.empty() ? MemoryTarget::dram : MemoryTarget::global_buffer;
  }
  MemoryTarget output_target() const {
    return m_prog.ops[m_op].output_in_global_buffer ? MemoryTarget::global_buffer : MemoryTarget::dram;
  }

  // Commands that must finish before op inputs produced by earlier ops can be read.
  std::vector<CommandId> producers(const Op& op) const {
    std::vector<CommandId> out;
    for (int d : op.deps) out.insert(out.end(), m_done[d].begin(), m_done[d].end());
    return out;
  }

  CommandId emit(Command c) {
    c.op = m_op;
    if (c.memory == MemoryTarget::global_buffer && is_dma(c.unit)) {
      SramTraffic& t = m_prog.ops[m_op].sram;
      (c.is_store() ? t.global_write : t.global_read) += c.dram_bytes;
    }
    CommandId id = m_prog.add(std::move(c));
    const Command& cmd = m_prog.commands[id];
    m_last[{cmd.core, static_cast<int>(cmd.unit)}] = id;
    if (!is_dma(cmd.unit)) m_recent_compute[cmd.core].push(id);
    else if (cmd.is_store()) m_recent_store[cmd.core].push(id);
    return id;
  }

  void finish_op() {
    std::vector<CommandId> done;
    for (const auto& [key, id] : m_last) done.push_back(id);
    m_done[m_op] = std::move(done);
    m_last.clear();
  }

  static Command dma_command(int core, u64 bytes, bool store, std::vector<CommandId> deps, MemoryTarget memory) {
    Command c;
    c.unit = store ? UnitKind::dma_store : UnitKind::dma_load;
    c.core = core;
    c.dram_bytes = bytes;
    c.memory = memory;
    c.deps = std::move(deps);
    return c;
  }

  CommandId dma(int core, u64 bytes, bool store, std::vector<CommandId> deps, MemoryTarget memory) {
    return emit(dma_command(core, bytes, store, std::move(deps), memory));
  }

  Precision checked_compute(const Op& op) const {
    Precision p = compute_precision(op.a_prec, op.b_prec);
    if (!m_arch.supports(p)) {
      std::string have;
      for (const auto& [q, r] : m_arch.systolic.macs_per_pe_per_cycle) have += (have.empty() ? "" : ", ") + std::string(name_of(q));
      throw ConfigError(m_arch.where("systolic.precisions"), "systolic.precisions",
                        fmt::format("{} does not compute in {} (needed by {}: {} x {}); it supports {}", m_arch.name,
                                    name_of(p), op.name, name_of(op.a_prec), name_of(op.b_prec), have));
    }
    return p;
  }

  // (3) GEMMs and batched matmuls: split over the cores, each share mapped onto its scratchpad.
  void matmul(const Op& op) {
    const Precision cp = checked_compute(op);
    const double rate = m_arch.systolic.macs_per_pe_per_cycle.at(cp);
    // GQA: the query heads sharing one K/V are stacked into the rows of one GEMM.
    const i64 instances = op.kind == OpKind::batched_matmul ? op.b_count : 1;
    const i64 stack = op.kind == OpKind::batched_matmul ? op.count / op.b_count : 1;
    GemmProblem p;
    p.m = op.m * stack, p.n = op.n, p.k = op.k, p.instances = instances;
    p.a = op.a_prec, p.b = op.b_prec, p.out = op.out_prec, p.acc_bits = m_model.precision.accumulator_bits(), p.rate = rate;
    if (m_feeds_cache[m_op]) p.out = m_model.precision.kv_cache;  // the projection's store is the cache write
    if (op.causal != CausalKeys::none) p.causal = {op.causal, op.m, op.causal_offset, 0, 0};
    p.a_on_chip = a_source(op) == MemoryTarget::global_buffer;
    p.b_on_chip = b_source(op) == MemoryTarget::global_buffer;
    p.c_on_chip = output_target() == MemoryTarget::global_buffer;
    p.psum_on_chip = spill_target(p) == MemoryTarget::global_buffer;
    p.staged = stages_inputs(op);
    p.global_bytes_per_cycle = m_arch.sram.global_kib > 0 ? std::max(1, m_arch.sram.global_bytes_per_cycle) : 0;
    auto split = choose_gemm_split(m_arch, p);
    if (!split)
      throw ConfigError(m_arch.where("sram.kib"), "sram.kib",
                        fmt::format("{} ({}) cannot fit one fold-sized tile: needs {} bytes double-buffered, the "
                                    "scratchpad has {} bytes",
                                    op.name, op.shape(), min_gemm_footprint(m_arch, p),
                                    static_cast<u64>(m_arch.sram.kib * 1024)));
    OpPlan& plan = m_prog.ops[m_op];
    plan.compute = cp;
    plan.gemm = p;
    plan.note = describe(*split);
    u64 upcoming = 0;
    for (const GemmMapping& g : split->mappings) upcoming += 6 * u64(g.n1) * u64(g.n2) * u64(g.ns) * u64(p.instances);
    check_program_size(op, upcoming);
    // Share j runs on core (m_next_core + j): an op on fewer cores than the chip has leaves the next ones
    // free for the next op, so independent ops (the Q, K and V projections) run side by side.
    for (int core = 0; core < m_arch.cores; ++core) {
      const int j = (core - m_next_core + m_arch.cores) % m_arch.cores;
      plan.cores.push_back({split->shares[j], split->mappings[j]});
    }
    // A K split's shares write partial sums (accumulator width) instead of the output; the reduction adds them.
    const bool k_split = split->axis == SplitAxis::k;
    const GemmProblem emitted = k_split ? partial_sums_problem(m_arch, p, split->used) : p;
    if (k_split) m_partial_rows = RowIndex(p.m);
    for (int core = 0; core < m_arch.cores; ++core)
      if (!plan.cores[core].share.empty()) MatmulEmitter(*this, op, emitted, core, plan.cores[core], k_split).run();
    if (k_split) reduce_partials(p, split->used, m_next_core);
    if (plan.skipped_tiles > 0)
      plan.note += fmt::format(", {} of {} tile steps skipped (causal mask)", plan.skipped_tiles,
                               plan.skipped_tiles + plan.tiles);
    m_next_core = (m_next_core + split->used) % m_arch.cores;
    plan.compulsory_dram_bytes = compulsory_bytes(op);
    m_staged.clear();
    finish_op();
  }

  std::string describe(const GemmSplit& split) const {
    const GemmMapping& g = split.mappings[0];  // share 0 always has work
    const std::string axis = split.axis == SplitAxis::instances ? "instances"
                             : split.axis == SplitAxis::m     ? "M"
                             : split.axis == SplitAxis::n     ? "N"
                             : split.axis == SplitAxis::k     ? "K"
                                                              : fmt::format("{}x{} of MxN", split.m_parts, split.n_parts);
    const char* held = g.hold_x1 ? ", X1 held" : g.hold_x2 ? ", X2 held" : "";
    const char* reload = g.reload ? ", folds reloaded per chunk" : "";
    const char* psum = g.spills(m_arch.systolic.dataflow) ? ", partial sums spilled" : "";
    const std::string reduce =
        split.axis != SplitAxis::k ? ""
        : partials_on_chip(m_arch, m_prog.ops[m_op].gemm, split.used) ? ", partial sums reduced through the global buffer"
                                                                       : ", partial sums reduced through DRAM";
    return fmt::format("tile {}x{}x{} (P1xP2xS, {} outer{}{}{}), {} over {} of {} core(s){}", g.t1, g.t2, g.ts,
                       g.p1_outer ? "P1" : "P2", held, reload, psum, axis, split.used, m_arch.cores, reduce);
  }

  // Each DRAM-resident operand once: inputs read from DRAM, the output if it goes there.
  u64 compulsory_bytes(const Op& op) const {
    u64 b = 0;
    if (a_source(op) == MemoryTarget::dram) b += op.a_bytes;
    if (b_source(op) == MemoryTarget::dram) b += op.b_bytes;
    if (output_target() == MemoryTarget::dram) b += op.out_bytes;
    return b;
  }
  MemoryTarget a_source(const Op& op) const { return source_of(op.deps.empty() ? -1 : op.deps[0]); }
  MemoryTarget b_source(const Op& op) const {
    return op.b_is_weight || op.deps.size() < 2 ? MemoryTarget::dram : source_of(op.deps[1]);
  }

  // Emits one core's share of a matmul: loads, array commands chained along the core's fold order, and
  // stores, in the tile loop order and with the residency of its mapping (gemm_mapping.h names the roles).
  class MatmulEmitter {
   public:
    MatmulEmitter(Compiler& c, const Op& op, const GemmProblem& whole, int core, const CoreGemm& cg, bool partial)
        : m_c(c), m_op(op), m_whole(whole), m_core(core), m_partial(partial), m_share(cg.share), m_g(cg.mapping),
          m_df(c.m_arch.systolic.dataflow), m_sizes(role_sizes(m_df, cg.share.problem(whole))),
          m_rate(mac_rate_factors(whole.rate)), m_stat(c.m_recent_compute[core].ids),
          m_x1(c.m_recent_compute[core].ids), m_x2(c.m_recent_compute[core].ids), m_out(c.m_recent_store[core].ids),
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
    struct Range {
      i64 lo, hi;
      i64 len() const { return hi - lo; }
    };
    struct PendingStore {
      Command cmd;
      Range rows;               // flat output rows written (final results only)
      std::optional<Key> psum;  // spilled partial sums: which ones
      SlotRing::Slot* slot;     // output slot this store frees (none for held partial sums)
      i64 chunk;
    };

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
      d[static_cast<int>(r.p1)] = r1.len(), d[static_cast<int>(r.p2)] = r2.len(), d[static_cast<int>(r.s)] = rs.len();
      return {d[0], d[1], d[2]};
    }
    // Rows of A and C a block covers, in the op's flat row numbering (instance-major, then M).
    Range flat_rows(i64 inst, Range r1, Range r2, Range rs) const {
      const DimRoles r = roles_of(m_df);
      const Range m = r.p1 == GemmDim::m ? r1 : r.p2 == GemmDim::m ? r2 : rs;
      const i64 base = (m_share.inst0 + inst) * m_whole.m + m_share.m0;
      return {base + m.lo, base + m.hi};
    }
    u64 bytes_of(Tensor t, i64 rows, i64 cols) const {
      const GemmOperand o = operand_of(m_df, t);
      const Precision p = o == GemmOperand::a ? m_whole.a : o == GemmOperand::b ? m_whole.b : m_whole.out;
      return element_bytes(p, u64(rows) * u64(cols));
    }
    u64 acc_bytes(i64 rows, i64 cols) const { return u64(rows) * u64(cols) * u64(m_whole.acc_bits) / 8; }

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
      std::vector<CommandId> stat_deps;
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
        std::vector<CommandId> deps = stat_deps;
        // (1) Streamed operands; a whole-stream tile stays resident while its key repeats.
        const Range s1 = m_g.hold_x1 ? whole_s : rs, s2 = m_g.hold_x2 ? whole_s : rs;
        load(m_x1, m_g.hold_x1 ? Key{inst, i1, -1, -1} : Key{inst, i1, i2, c}, bytes_of(Tensor::x1, r1.len(), s1.len()),
             deps, Tensor::x1, flat_rows(inst, r1, r2, s1), block_of(Tensor::x1, inst, r1, r2, s1));
        if (!out_x2)
          load(m_x2, m_g.hold_x2 ? Key{inst, -1, i2, -1} : Key{inst, i1, i2, c}, bytes_of(Tensor::x2, r2.len(), s2.len()),
               deps, Tensor::x2, flat_rows(inst, r1, r2, s2), block_of(Tensor::x2, inst, r1, r2, s2));
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
        const bool ends_fold = m_g.reload || c == span.last, accumulates = !first_k || (m_g.reload && c > span.first);
        const CommandId id = array(r1, r2, rs, stop, ends_fold, accumulates, std::move(deps));
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
          queue_store(id, acc_bytes(r2.len(), rs.len()), {0, 0}, Key{inst, i1, i2, c}, slot, c);
      }
    }

    // Loads an operand tile into the next slot of its ring unless it is still resident there. A staged
    // DRAM operand comes from DRAM the first time any core reads the block, then from the global buffer.
    void load(SlotRing& ring, const Key& k, u64 bytes, std::vector<CommandId>& deps, Tensor t, Range rows,
              const Key& block) {
      const bool is_a = operand_of(m_df, t) == GemmOperand::a;
      std::vector<CommandId> prod;
      if (is_a) m_c.row_deps(m_op, rows.lo, rows.hi, prod);
      else prod = m_b_prod;
      MemoryTarget src = is_a ? m_c.a_source(m_op) : m_c.b_source(m_op);
      const Key staged{block.a * 2 + (is_a ? 0 : 1), block.b, block.c, block.d};
      auto first = m_c.m_staged.end();
      if (src == MemoryTarget::dram && m_whole.staged && ring.current().key != k) {
        first = m_c.m_staged.find(staged);
        if (first != m_c.m_staged.end()) src = MemoryTarget::global_buffer, prod.push_back(first->second);
      }
      if (!m_c.load_operand(ring, k, bytes, m_core, prod, deps, src)) return;
      (is_a ? m_c.plan().sram.ifmap_write : m_c.plan().sram.weight_write) += bytes;
      if (src == MemoryTarget::dram && m_whole.staged) {
        m_c.m_staged.emplace(staged, deps.back());
        m_c.plan().sram.global_write += bytes;  // the staged copy
      }
    }

    // A block of an operand in the op's own coordinates: instance, first row, first column, rows.
    Key block_of(Tensor t, i64 inst, Range r1, Range r2, Range rs) const {
      const DimRoles r = roles_of(m_df);
      Range d[3] = {{0, 0}, {0, 0}, {0, 0}};
      d[static_cast<int>(r.p1)] = r1, d[static_cast<int>(r.p2)] = r2, d[static_cast<int>(r.s)] = rs;
      const Range m{d[0].lo + m_share.m0, d[0].hi + m_share.m0}, n{d[1].lo + m_share.n0, d[1].hi + m_share.n0};
      const Range k{d[2].lo + m_share.k0, d[2].hi + m_share.k0};
      const i64 g = m_share.inst0 + inst;
      const bool a = operand_of(m_df, t) == GemmOperand::a;
      const Range rows = a ? m : k, cols = a ? k : n;
      return {g, rows.lo, cols.lo, rows.len() * 1'000'003 + cols.len()};
    }

    // Reads back the partial sums an earlier K tile spilled, after the store that wrote them.
    void load_psum(const Key& k, u64 bytes, std::vector<CommandId>& deps) {
      if (m_pending && m_pending->psum == k) flush_store();
      std::vector<CommandId> wait;
      if (auto it = m_psum_store.find(k); it != m_psum_store.end()) wait.push_back(it->second);
      deps.push_back(m_c.dma(m_core, bytes, false, std::move(wait), m_spill));
      m_c.plan().sram.ofmap_write += bytes;
    }

    SlotRing::Slot* acquire_out(std::vector<CommandId>& deps) {
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

    CommandId array(Range r1, Range r2, Range rs, i64 stop, bool ends_fold, bool accumulates,
                    std::vector<CommandId> deps) {
      Command cmd;
      cmd.unit = UnitKind::array;
      cmd.core = m_core;
      const GemmShape gs = shape(r1, r2, rs);
      cmd.macs = u64(gs.m) * u64(gs.n) * u64(gs.k);
      cmd.segment = {static_cast<std::size_t>(m_placements - 1), stop};
      cmd.deps = std::move(deps);
      m_c.count_array_sram(m_whole, gs, ends_fold, accumulates);
      m_c.plan().tiles++;
      const CommandId id = m_c.emit(std::move(cmd));
      m_array.push_back(id);
      return id;
    }

    // A tile's store is issued after the next tile's loads, so the load DMA prefetches tile i+1 while the
    // array computes tile i (double buffering).
    void queue_store(CommandId compute, u64 bytes, Range rows, std::optional<Key> psum, SlotRing::Slot* slot, i64 c) {
      flush_store();
      const MemoryTarget partials = m_whole.c_on_chip ? MemoryTarget::global_buffer : MemoryTarget::dram;
      const MemoryTarget target = psum ? m_spill : m_partial ? partials : m_c.output_target();
      m_pending = PendingStore{dma_command(m_core, bytes, true, {compute}, target), rows, psum, slot, c};
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
      std::vector<ChainSegment> segments;
      for (CommandId id : m_array) segments.push_back(m_c.m_prog.commands[id].segment);
      const std::vector<i64> ends = command_ends(chain, segments);
      i64 prev = 0;
      for (std::size_t i = 0; i < m_array.size(); ++i) {
        m_c.m_prog.commands[m_array[i]].cycles = static_cast<u64>(ends[i] - prev);
        prev = ends[i];
      }
    }

    Compiler& m_c;
    const Op& m_op;
    const GemmProblem& m_whole;
    int m_core;
    bool m_partial;  // a K share: its results are partial sums for the reduction
    GemmShare m_share;
    GemmMapping m_g;
    Dataflow m_df;
    RoleSizes m_sizes;
    MacRate m_rate;
    SlotRing m_stat, m_x1, m_x2, m_out;
    MemoryTarget m_spill;
    std::vector<std::optional<CommandId>> m_chunk_store;  // last store of each stream chunk
    std::optional<PendingStore> m_pending;
    std::map<Key, CommandId> m_psum_store;  // spilled partial sums: the store that wrote them
    std::vector<CommandId> m_b_prod, m_array;
    SlotRing::Slot* m_fold_slot = nullptr;  // output slot held across a fold's chunks or a tile's K tiles
    std::vector<FoldRun> m_runs;            // the fold placements so far on this core, as runs
    i64 m_placements = 0;
    TileSpans m_spans;                      // the chunks that run under a causal mask (all, without one)
  };

  // (3b) A K split's reduction: each of the `parts` cores that computed partial sums adds all parts for its
  // slice of the output (rows, or columns when there are fewer rows than parts) in chunks that fit its
  // scratchpad double-buffered, and stores the sums where the op's output lives. A chunk waits only for
  // the partial stores of its rows.
  void reduce_partials(const GemmProblem& p, int parts, int first_core) {
    OpPlan& plan = this->plan();
    const MemoryTarget from = partials_on_chip(m_arch, p, parts) ? MemoryTarget::global_buffer : MemoryTarget::dram;
    const u64 acc = u64(p.acc_bits) / 8, capacity = static_cast<u64>(m_arch.sram.kib * 1024);
    const bool by_rows = p.m >= parts;
    for (int j = 0; j < parts; ++j) {
      const int core = (first_core + j) % m_arch.cores;
      const i64 r0 = by_rows ? p.m * j / parts : 0, r1 = by_rows ? p.m * (j + 1) / parts : p.m;
      const i64 c0 = by_rows ? 0 : p.n * j / parts, c1 = by_rows ? p.n : p.n * (j + 1) / parts;
      if (r0 == r1 || c0 == c1) continue;
      // Bytes per element in the scratchpad: every part's partial sum in, the sum out (int4 rounded up).
      const u64 per_element = u64(parts) * acc + std::max<u64>(1, element_bytes(p.out, 1));
      const i64 width = std::min<i64>(c1 - c0, static_cast<i64>(capacity / (2 * per_element)));
      if (width == 0)
        throw ConfigError(m_arch.where("sram.kib"), "sram.kib",
                          fmt::format("{}: the scratchpad cannot hold {} partial sums of one element double-buffered",
                                      m_graph.ops[m_op].name, parts));
      const i64 rows_fit = width < c1 - c0 ? 1 : static_cast<i64>(capacity / (2 * per_element * u64(width)));
      const i64 chunk_rows = std::max<i64>(1, std::min(rows_fit, ceil_div(r1 - r0, 4)));
      check_program_size(m_graph.ops[m_op], u64(parts + 2) * u64(ceil_div(r1 - r0, chunk_rows)) * u64(ceil_div(c1 - c0, width)));
      SlotRing in_ring(m_recent_compute[core].ids), out_ring(m_recent_store[core].ids);
      for (i64 a = r0; a < r1; a += chunk_rows)
        for (i64 x = c0; x < c1; x += width) {
          const i64 b = std::min(r1, a + chunk_rows), y = std::min(c1, x + width);
          const u64 elements = u64(b - a) * u64(y - x), in_bytes = elements * acc;
          std::vector<CommandId> written, deps;
          m_partial_rows.query(a, b, written);
          SlotRing::Slot& in = in_ring.advance();
          if (in.last_user) written.push_back(*in.last_user);
          for (int part = 0; part < parts; ++part) deps.push_back(dma(core, in_bytes, false, written, from));
          SlotRing::Slot& o = out_ring.advance();
          if (o.last_user) deps.push_back(*o.last_user);
          Command c;
          c.unit = UnitKind::vector;
          c.core = core;
          const VectorPass add{"add", elements * u64(parts - 1)};
          c.cycles = vector_cycles(m_arch.vector, {add});
          c.deps = std::move(deps);
          const CommandId v = emit(std::move(c));
          in.last_user = v;
          const u64 out_bytes = element_bytes(p.out, elements);
          o.last_user = dma(core, out_bytes, true, {v}, output_target());
          m_rows[static_cast<std::size_t>(m_op)].add(a, b, core, *o.last_user);
          plan.vector_ops[add.op] += add.elements;
          plan.sram.vector_write += in_bytes * u64(parts) + out_bytes;  // DMA writes in, results out
          plan.sram.vector_read += in_bytes * u64(parts) + out_bytes;   // the adds read, the store reads
          plan.tiles++;
        }
    }
  }

  // Loads a tile into the next slot unless it is still resident; returns whether memory was read.
  bool load_operand(SlotRing& ring, const Key& key, u64 bytes, int core, const std::vector<CommandId>& prod,
                    std::vector<CommandId>& deps, MemoryTarget source) {
    if (ring.current().key == key) {
      if (ring.current().last_user) deps.push_back(*ring.current().last_user);
      return false;
    }
    SlotRing::Slot& slot = ring.advance();
    std::vector<CommandId> wait = prod;
    if (slot.last_user) wait.push_back(*slot.last_user);
    slot.key = key;
    CommandId id = dma(core, bytes, false, std::move(wait), source);
    slot.last_user = id;
    deps.push_back(id);
    return true;
  }

  // SRAM reads/writes of one array command, by buffer, from its fold structure. OS outputs leave the PEs
  // once, when a fold ends; WS/IS partial sums leave every row fold and add onto earlier ones.
  void count_array_sram(const GemmProblem& p, GemmShape s, bool ends_fold, bool accumulates) {
    SramTraffic& t = plan().sram;
    FoldPlan f = plan_folds(m_arch.systolic.dataflow, {m_arch.systolic.rows, m_arch.systolic.cols}, s, p.rate);
    const u64 a = element_bytes(p.a, u64(s.m) * u64(s.k)), b = element_bytes(p.b, u64(s.k) * u64(s.n));
    const u64 psum = u64(s.m) * u64(s.n) * u64(p.acc_bits) / 8;
    switch (m_arch.systolic.dataflow) {
      case Dataflow::os:
        t.ifmap_read += a * u64(f.col_folds);
        t.weight_read += b * u64(f.row_folds);
        if (ends_fold) t.ofmap_write += psum;
        if (accumulates) t.ofmap_read += psum;
        break;
      case Dataflow::ws:
      case Dataflow::is: {
        const bool ws = m_arch.systolic.dataflow == Dataflow::ws;
        (ws ? t.weight_read : t.ifmap_read) += ws ? b : a;
        (ws ? t.ifmap_read : t.weight_read) += (ws ? a : b) * u64(f.col_folds);
        t.ofmap_write += psum * u64(f.row_folds);
        t.ofmap_read += psum * u64(f.row_folds - 1 + (accumulates ? 1 : 0));
        break;
      }
    }
  }

  // Spilled partial sums go to the global buffer when all of them fit a quarter of it, else to DRAM.
  MemoryTarget spill_target(const GemmProblem& p) const {
    const u64 all = u64(p.instances) * u64(p.m) * u64(p.n) * u64(p.acc_bits) / 8;
    return m_arch.sram.global_kib > 0 && all <= static_cast<u64>(m_arch.sram.global_kib * 1024) / 4
               ? MemoryTarget::global_buffer
               : MemoryTarget::dram;
  }

  OpPlan& plan() { return m_prog.ops[static_cast<std::size_t>(m_op)]; }

  // (4) Vector ops: rows in equal shares per core; each share in the number of chunks (1, 2, 4, ...) that
  // minimizes an estimate of its time, so that loading, computing and storing overlap when memory matters
  // and a pass's pipeline latency is not paid more often than it buys.
  i64 vector_chunk(const Op& op, i64 share, i64 fit, u64 row_bytes) const {
    const double bw = arch_bytes_per_cycle(), latency = arch_latency_cycles();
    i64 best = std::min(share, fit);
    double best_time = -1;
    for (i64 chunks = ceil_div(share, best);; chunks *= 2) {
      const i64 chunk = ceil_div(share, chunks);
      const double vec = static_cast<double>(vector_cycles(m_arch.vector, vector_passes(op, u64(chunk), u64(op.n))));
      const double mem = static_cast<double>(row_bytes) * static_cast<double>(chunk) / bw + latency;
      const double time = static_cast<double>(chunks) * std::max(vec, mem) + std::min(vec, mem) + mem;
      if (best_time < 0 || time < best_time) best = chunk, best_time = time;
      if (chunk == 1) break;
    }
    return best;
  }
  double arch_bytes_per_cycle() const {
    return m_arch.dram.model == DramModel::ideal ? 1e30 : m_arch.dram_bytes_per_cycle() / m_arch.cores;
  }
  double arch_latency_cycles() const {
    return m_arch.dram.model == DramModel::ideal ? 0.0 : m_arch.dram.latency_ns * m_arch.clock_mhz / 1000.0;
  }

  void vector(const Op& op) {
    const u64 row_in = element_bytes(op.a_prec, u64(op.n)) * u64(op.inputs), row_out = element_bytes(op.out_prec, u64(op.n));
    const u64 capacity = static_cast<u64>(m_arch.sram.kib * 1024);
    const u64 per_row = 2 * (row_in + row_out);
    if (per_row > capacity)
      throw ConfigError(m_arch.where("sram.kib"), "sram.kib",
                        fmt::format("{} ({}) cannot fit one row: needs {} bytes double-buffered, the scratchpad has {}",
                                    op.name, op.shape(), per_row, capacity));
    const i64 rows = op.count * op.m, fit = static_cast<i64>(capacity / per_row), cores = m_arch.cores;
    const i64 share = ceil_div(rows, cores), chunk = vector_chunk(op, share, fit, row_in + row_out);
    OpPlan& plan = m_prog.ops[m_op];
    plan.note = fmt::format("{} row(s) per core in chunks of {}", share, chunk);
    check_program_size(op, 3 * u64(ceil_div(share, chunk)) * u64(cores));
    const MemoryTarget source = source_of_all(op);
    for (int core = 0; core < m_arch.cores; ++core) {
      SlotRing in_ring(m_recent_compute[core].ids), out_ring(m_recent_store[core].ids);
      const i64 begin = std::min(rows, share * core), end = std::min(rows, share * (core + 1));
      for (i64 r0 = begin; r0 < end; r0 += chunk) {
        const i64 r = std::min(chunk, end - r0);
        std::vector<CommandId> deps, prod;
        row_deps(op, r0, r0 + r, prod);
        load_operand(in_ring, {r0, -1, -1, -1}, row_in * u64(r), core, prod, deps, source);
        plan.sram.vector_write += row_in * u64(r);
        SlotRing::Slot& o = out_ring.advance();
        if (o.last_user) deps.push_back(*o.last_user);
        auto passes = vector_passes(op, u64(r), u64(op.n));
        Command c;
        c.unit = UnitKind::vector;
        c.core = core;
        c.cycles = vector_cycles(m_arch.vector, passes);
        c.deps = std::move(deps);
        CommandId v = emit(std::move(c));
        in_ring.current().last_user = v;
        for (const auto& pass : passes) {
          plan.vector_ops[pass.op] += pass.elements;
          plan.sram.vector_read += element_bytes(op.a_prec, pass.elements);
        }
        plan.sram.vector_write += row_out * u64(r);
        plan.sram.vector_read += row_out * u64(r);
        o.last_user = dma(core, row_out * u64(r), true, {v}, output_target());
        m_rows[static_cast<std::size_t>(m_op)].add(r0, r0 + r, core, *o.last_user);
        plan.tiles++;
      }
    }
    plan.compulsory_dram_bytes = (source == MemoryTarget::dram ? op.a_bytes : 0) +
                                 (output_target() == MemoryTarget::dram ? op.out_bytes : 0);
    finish_op();
  }

  // (5) Transfers: the embedding gather (DMA in, DMA out). KV-cache writes are the K/V projections'
  // stores and KV-cache reads are the attention matmuls' operand loads, so they add no commands.
  void transfer(const Op& op) {
    OpPlan& plan = m_prog.ops[m_op];
    if (op.kind != OpKind::embedding) {
      plan.note = op.kind == OpKind::kv_write ? "bytes moved by the K/V projections' stores"
                                              : "bytes moved by attn.qk / attn.av operand loads";
      m_done[m_op] = producers(op);
      return;
    }
    plan.note = "gather of embedding rows";
    const std::vector<CommandId> prod = producers(op);
    for (int core = 0; core < m_arch.cores; ++core) {
      const i64 begin = op.m * core / m_arch.cores, end = op.m * (core + 1) / m_arch.cores;
      if (begin == end) continue;
      const u64 rows = u64(end - begin);
      const u64 in_bytes = op.b_bytes / u64(op.m) * rows, out_bytes = op.out_bytes / u64(op.m) * rows;
      CommandId in = dma(core, in_bytes, false, prod, MemoryTarget::dram);
      CommandId out = dma(core, out_bytes, true, {in}, output_target());
      m_rows[static_cast<std::size_t>(m_op)].add(begin, end, core, out);
      plan.sram.ifmap_write += in_bytes;
      plan.sram.ofmap_read += out_bytes;
    }
    plan.compulsory_dram_bytes = op.b_bytes + (output_target() == MemoryTarget::dram ? op.out_bytes : 0);
    finish_op();
  }

  // (6) Tile-level dependencies: the producer stores a reader of flat rows [r0, r1) of `op`'s inputs
  // waits for. Rows map one to one when both ops have as many; with batch 1, token rows and
  // (head, token) rows map through the token (a head-major layout); anything else waits for the whole
  // producer. A matmul's B operand (weights, keys, values) is not row-matched: see producers().
  void row_deps(const Op& op, i64 r0, i64 r1, std::vector<CommandId>& out) const {
    const std::size_t inputs = is_matmul(op.kind) ? std::min<std::size_t>(1, op.deps.size()) : op.deps.size();
    const i64 q = op.count * op.m;
    for (std::size_t i = 0; i < inputs; ++i) {
      const int d = op.deps[i];
      const RowIndex& idx = m_rows[static_cast<std::size_t>(d)];
      const i64 p = idx.rows();
      const bool single = m_model.workload.batch == 1;
      if (!idx.empty() && p == q) {
        idx.query(r0, r1, out);
      } else if (!idx.empty() && single && q > 0 && p % q == 0) {
        for (i64 j = 0; j < p / q; ++j) idx.query(r0 + j * q, r1 + j * q, out);
      } else if (!idx.empty() && single && p > 0 && q % p == 0 && r1 - r0 < p) {
        const i64 a = r0 % p, b = a + (r1 - r0);
        idx.query(a, std::min(b, p), out);
        if (b > p) idx.query(0, b - p, out);
      } else if (!idx.empty() && single && p > 0 && q % p == 0) {
        idx.query(0, p, out);
      } else {
        out.insert(out.end(), m_done[static_cast<std::size_t>(d)].begin(), m_done[static_cast<std::size_t>(d)].end());
      }
    }
  }

  // Rows of an op's output in the flat numbering consumers use (instances or heads first, then M).
  static i64 output_rows(const Op& op) { return op.kind == OpKind::embedding ? op.m : op.count * op.m; }

  const ArchSpec& m_arch;
  const ModelSpec& m_model;
  const OpGraph& m_graph;
  Program m_prog;
  int m_op = 0;
  std::vector<std::vector<CommandId>> m_done;  // per op: its last command on each (core, unit)
  std::vector<RowIndex> m_rows;                // per op: which stores wrote which output rows
  std::map<Key, CommandId> m_staged;           // the current op's operand blocks staged in the global buffer
  RowIndex m_partial_rows;                     // the current K-split op: which stores wrote which partial rows
  int m_next_core = 0;                         // where the next matmul's first share runs
  std::map<std::pair<int, int>, CommandId> m_last;
  std::vector<bool> m_feeds_cache;  // per op: its output is written into the KV cache
  std::vector<int> m_consumers;    // per op: how many ops read its output
  std::vector<RecentPair> m_recent_compute;  // per core: last two array/vector commands (free input slots)
  std::vector<RecentPair> m_recent_store;    // per core: last two stores (free output slots)
};

}  // namespace

Precision compute_precision(Precision a, Precision b) {
  if (a == b) return a;
  const bool fa = !is_integer(a), fb = !is_integer(b);
  if (fa != fb) return fa ? a : b;
  return bits_of(b) > bits_of(a) ? b : a;
}

Program compile(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph) {
  return Compiler(arch, model, graph).run();
}

}  // namespace catsim
