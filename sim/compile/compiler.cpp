#include "sim/compile/compiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include "arch/config/error.h"
#include "arch/int_math.h"
#include "sim/compile/gemm_tiling.h"
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
class SlotRing {
 public:
  struct Slot {
    i64 key = -1;
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
      if (is_matmul(op.kind)) matmul(op);
      else if (is_vector(op.kind)) vector(op);
      else transfer(op);
    }
    return std::move(m_prog);
  }

 private:
  // (1) Capacity of DRAM: the weights, then the KV cache, must fit.
  void check_dram_capacity() const {
    const u64 capacity = static_cast<u64>(m_arch.dram.capacity_gib * 1024.0 * 1024.0 * 1024.0);
    const u64 weights = weight_bytes(m_model);
    if (weights > capacity)
      throw ConfigError(m_arch.where("dram.capacity_gib"), "dram.capacity_gib",
                        fmt::format("model {} needs {} bytes of weights, DRAM holds {} bytes", m_model.name, weights,
                                    capacity));
    if (weights + m_graph.kv_cache_bytes > capacity)
      throw ConfigError(m_arch.where("dram.capacity_gib"), "dram.capacity_gib",
                        fmt::format("KV cache overflow: the cache needs {} bytes, DRAM has {} bytes left after {} "
                                    "bytes of weights",
                                    m_graph.kv_cache_bytes, capacity - weights, weights));
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

  // (3) GEMMs and batched matmuls: instances x fold-aligned tiles, split across cores.
  void matmul(const Op& op) {
    const Precision cp = checked_compute(op);
    const double rate = m_arch.systolic.macs_per_pe_per_cycle.at(cp);
    // GQA: the query heads sharing one K/V are stacked into the rows of one GEMM.
    const i64 instances = op.kind == OpKind::batched_matmul ? op.b_count : 1;
    const i64 stack = op.kind == OpKind::batched_matmul ? op.count / op.b_count : 1;
    GemmProblem p{op.m * stack, op.n, op.k, op.a_prec, op.b_prec, op.out_prec, m_model.precision.accumulator_bits(), rate};
    if (m_feeds_cache[m_op]) p.out = m_model.precision.kv_cache;  // the projection's store is the cache write
    auto tiling = choose_gemm_tiling(m_arch, p);
    if (!tiling)
      throw ConfigError(m_arch.where("sram.kib"), "sram.kib",
                        fmt::format("{} ({}) cannot fit one fold-sized tile: needs {} bytes double-buffered, the "
                                    "scratchpad has {} bytes",
                                    op.name, op.shape(), min_gemm_footprint(m_arch, p),
                                    static_cast<u64>(m_arch.sram.kib * 1024)));
    OpPlan& plan = m_prog.ops[m_op];
    plan.compute = cp;
    plan.note = fmt::format("tile {}x{}x{} ({} order), {} instance(s)", tiling->mt, tiling->nt, tiling->kt,
                            tiling->n_inner ? "m-n-k" : "n-m-k", instances);
    // each tile: up to two loads and a compute, plus a store per output tile
    check_program_size(op, u64(instances) * u64(tiling->tm) * u64(tiling->tn) * (3 * u64(tiling->tk) + 1));
    emit_matmul(op, p, *tiling, instances);
    finish_op();
  }

  struct Item {
    i64 inst, mi, ni;
  };

  void emit_matmul(const Op& op, const GemmProblem& p, const GemmTiling& t, i64 instances) {
    std::vector<Item> items;
    for (i64 inst = 0; inst < instances; ++inst)
      for (i64 outer = 0; outer < (t.n_inner ? t.tm : t.tn); ++outer)
        for (i64 inner = 0; inner < (t.n_inner ? t.tn : t.tm); ++inner)
          items.push_back(t.n_inner ? Item{inst, outer, inner} : Item{inst, inner, outer});
    const std::vector<CommandId> prod = producers(op);
    const int cores = m_arch.cores;
    for (int core = 0; core < cores; ++core) {
      std::size_t begin = items.size() * core / cores, end = items.size() * (core + 1) / cores;
      emit_core_tiles(op, p, t, std::vector<Item>(items.begin() + begin, items.begin() + end), core, prod);
    }
  }

  // One core's share of a matmul. A tile's store is issued after the next tile's loads, so the DMA
  // queue prefetches tile i+1 while the array computes tile i (double buffering).
  void emit_core_tiles(const Op& op, const GemmProblem& p, const GemmTiling& t, const std::vector<Item>& items,
                       int core, const std::vector<CommandId>& prod) {
    SlotRing a_ring(m_recent_compute[core].ids), b_ring(m_recent_compute[core].ids),
        c_ring(m_recent_store[core].ids);
    std::optional<Command> pending_store;
    SlotRing::Slot* pending_slot = nullptr;
    auto flush_store = [&] {
      if (!pending_store) return;
      pending_slot->last_user = emit(std::move(*pending_store));
      pending_store.reset();
    };
    OpPlan& plan = m_prog.ops[m_op];
    const ArrayShape shape{m_arch.systolic.rows, m_arch.systolic.cols};
    for (const Item& it : items) {
      const i64 m = std::min(t.mt, p.m - it.mi * t.mt), n = std::min(t.nt, p.n - it.ni * t.nt);
      SlotRing::Slot& c_slot = c_ring.advance();
      std::vector<CommandId> c_wait;  // the output slot is free once its previous tile was stored
      if (c_slot.last_user) c_wait.push_back(*c_slot.last_user);
      CommandId last_compute = 0;
      for (i64 ki = 0; ki < t.tk; ++ki) {
        const i64 k = std::min(t.kt, p.k - ki * t.kt);
        std::vector<CommandId> deps = std::move(c_wait);
        c_wait.clear();
        const i64 a_key = (it.inst * t.tm + it.mi) * t.tk + ki, b_key = (it.inst * t.tk + ki) * t.tn + it.ni;
        const u64 a_bytes = element_bytes(p.a, u64(m) * k), b_bytes = element_bytes(p.b, u64(k) * n);
        const MemoryTarget a_src = source_of(op.deps.empty() ? -1 : op.deps[0]);
        const MemoryTarget b_src = op.b_is_weight || op.deps.size() < 2 ? MemoryTarget::dram : source_of(op.deps[1]);
        if (load_operand(a_ring, a_key, a_bytes, core, prod, deps, a_src)) plan.sram.ifmap_write += a_bytes;
        if (load_operand(b_ring, b_key, b_bytes, core, op.b_is_weight ? std::vector<CommandId>{} : prod, deps, b_src))
          plan.sram.weight_write += b_bytes;
        flush_store();
        Command c;
        c.unit = UnitKind::array;
        c.core = core;
        c.cycles = array_cycles(m_arch.systolic.dataflow, m_arch.systolic.timing, shape, {m, n, k}, p.rate);
        c.macs = u64(m) * n * k;
        c.deps = std::move(deps);
        last_compute = emit(std::move(c));
        a_ring.current().last_user = last_compute;
        b_ring.current().last_user = last_compute;
        count_array_sram(p, m, n, k, ki, plan);
        plan.tiles++;
      }
      const u64 out_bytes = element_bytes(p.out, u64(m) * n);
      plan.sram.ofmap_read += out_bytes;
      pending_store = dma_command(core, out_bytes, true, {last_compute}, output_target());
      pending_slot = &c_slot;
    }
    flush_store();
  }

  // Loads a tile into the next slot unless it is still resident; returns whether DRAM was read.
  bool load_operand(SlotRing& ring, i64 key, u64 bytes, int core, const std::vector<CommandId>& prod,
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

  // SRAM reads/writes of one array tile, by buffer, from its fold structure.
  void count_array_sram(const GemmProblem& p, i64 m, i64 n, i64 k, i64 ki, OpPlan& plan) const {
    FoldPlan f = plan_folds(m_arch.systolic.dataflow, {m_arch.systolic.rows, m_arch.systolic.cols}, {m, n, k}, p.rate);
    const u64 a = element_bytes(p.a, u64(m) * k), b = element_bytes(p.b, u64(k) * n);
    const u64 psum = u64(m) * n * p.acc_bits / 8;
    switch (m_arch.systolic.dataflow) {
      case Dataflow::os:
        plan.sram.ifmap_read += a * f.col_folds;
        plan.sram.weight_read += b * f.row_folds;
        plan.sram.ofmap_write += psum;
        if (ki > 0) plan.sram.ofmap_read += psum;
        break;
      case Dataflow::ws:
      case Dataflow::is: {
        const bool ws = m_arch.systolic.dataflow == Dataflow::ws;
        (ws ? plan.sram.weight_read : plan.sram.ifmap_read) += ws ? b : a;
        (ws ? plan.sram.ifmap_read : plan.sram.weight_read) += (ws ? a : b) * f.col_folds;
        plan.sram.ofmap_write += psum * f.row_folds;
        plan.sram.ofmap_read += psum * (f.row_folds - 1 + (ki > 0 ? 1 : 0));
        break;
      }
    }
  }

  // (4) Vector ops: row chunks that fit the scratchpad, double-buffered, split across cores.
  void vector(const Op& op) {
    const u64 row_in = element_bytes(op.a_prec, u64(op.n)) * u64(op.inputs), row_out = element_bytes(op.out_prec, u64(op.n));
    const u64 capacity = static_cast<u64>(m_arch.sram.kib * 1024);
    const u64 per_row = 2 * (row_in + row_out);
    if (per_row > capacity)
      throw ConfigError(m_arch.where("sram.kib"), "sram.kib",
                        fmt::format("{} ({}) cannot fit one row: needs {} bytes double-buffered, the scratchpad has {}",
                                    op.name, op.shape(), per_row, capacity));
    const i64 rows = op.count * op.m, chunk = std::min<i64>(rows, static_cast<i64>(capacity / per_row));
    const i64 chunks = ceil_div(rows, chunk);
    OpPlan& plan = m_prog.ops[m_op];
    plan.note = fmt::format("{} chunk(s) of {} rows", chunks, chunk);
    check_program_size(op, 3 * u64(chunks));
    const std::vector<CommandId> prod = producers(op);
    for (int core = 0; core < m_arch.cores; ++core) {
      SlotRing in_ring(m_recent_compute[core].ids), out_ring(m_recent_store[core].ids);
      i64 begin = chunks * core / m_arch.cores, end = chunks * (core + 1) / m_arch.cores;
      for (i64 ci = begin; ci < end; ++ci) {
        const i64 r = std::min(chunk, rows - ci * chunk);
        std::vector<CommandId> deps;
        load_operand(in_ring, ci, row_in * r, core, prod, deps, source_of_all(op));
        plan.sram.vector_write += row_in * r;
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
        plan.sram.vector_write += row_out * r;
        plan.sram.vector_read += row_out * r;
        o.last_user = dma(core, row_out * r, true, {v}, output_target());
        plan.tiles++;
      }
    }
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
      dma(core, out_bytes, true, {in}, output_target());
      plan.sram.ifmap_write += in_bytes;
      plan.sram.ofmap_read += out_bytes;
    }
    finish_op();
  }

  const ArchSpec& m_arch;
  const ModelSpec& m_model;
  const OpGraph& m_graph;
  Program m_prog;
  int m_op = 0;
  std::vector<std::vector<CommandId>> m_done;  // per op: its last command on each (core, unit)
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
