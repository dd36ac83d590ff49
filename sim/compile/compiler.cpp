#include "sim/compile/compiler.h"

#include <fmt/format.h>

#include <algorithm>

#include "arch/config/error.h"
#include "arch/int_math.h"
#include "sim/compile/core_split.h"
#include "sim/compile/matmul_emitter.h"
#include "sim/compile/program_builder.h"
#include "sim/vector/vector_cost.h"
#include "workloads/parameters.h"

namespace catsim {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

// Walks the op graph once, in order, emitting each op's commands per core and unit; it remembers each op's
// last commands so that consumers wait for exactly what they read, and where each result lives.
class Compiler : public ProgramBuilder {
 public:
  using ProgramBuilder::ProgramBuilder;

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
      if (!plan.cores[core].share.empty()) emit_matmul_share(*this, op, emitted, core, plan.cores[core], k_split);
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
          plan.vector_ops[kind_of(add)] += add.elements;
          plan.sram.vector_write += in_bytes * u64(parts) + out_bytes;  // DMA writes in, results out
          plan.sram.vector_read += in_bytes * u64(parts) + out_bytes;   // the adds read, the store reads
          plan.tiles++;
        }
    }
  }

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
          plan.vector_ops[kind_of(pass)] += pass.elements;
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

  int m_next_core = 0;  // where the next matmul's first share runs
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
