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
  // (3) GEMMs and batched matmuls: split over the cores, each share mapped onto its scratchpad.
  void matmul(const Op& op) {
    const GemmProblem p = gemm_problem(op);
    const std::optional<GemmSplit> split = choose_gemm_split(m_arch, p);
    if (!split) throw_no_fit(op, p);
    OpPlan& plan = m_prog.ops[m_op];
    plan.compute = compute_precision(op.a_prec, op.b_prec);
    plan.gemm = p;
    plan.note = describe(*split);
    check_matmul_size(op, p, *split);
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
    note_skipped_tiles();
    m_next_core = (m_next_core + split->used) % m_arch.cores;
    plan.compulsory_dram_bytes = compulsory_bytes(op);
    m_staged.clear();
    finish_op();
  }

  // (3b) A K split's reduction: each of the `parts` cores that computed partial sums adds all parts for its
  // slice of the output (rows, or columns when there are fewer rows than parts) in chunks that fit its
  // scratchpad double-buffered, and stores the sums where the op's output lives. A chunk waits only for
  // the partial stores of its rows.
  void reduce_partials(const GemmProblem& p, int parts, int first_core) {
    const MemoryTarget from = partials_on_chip(m_arch, p, parts) ? MemoryTarget::global_buffer : MemoryTarget::dram;
    const u64 acc = u64(p.acc_bits) / 8;
    for (const ReductionShare& s : reduction_shares(p, parts, first_core)) {
      check_program_size(m_graph.ops[m_op], u64(parts + 2) * u64(ceil_div(s.r1 - s.r0, s.chunk_rows)) *
                                                u64(ceil_div(s.c1 - s.c0, s.width)));
      SlotRing in_ring(m_recent_compute[s.core].ids), out_ring(m_recent_store[s.core].ids);
      for (i64 a = s.r0; a < s.r1; a += s.chunk_rows)
        for (i64 x = s.c0; x < s.c1; x += s.width) {
          const i64 b = std::min(s.r1, a + s.chunk_rows), y = std::min(s.c1, x + s.width);
          const u64 elements = u64(b - a) * u64(y - x), in_bytes = elements * acc;
          std::vector<CommandId> written, deps;
          m_partial_rows.query(a, b, written);
          SlotRing::Slot& in = in_ring.advance();
          if (in.last_user) written.push_back(*in.last_user);
          for (int part = 0; part < parts; ++part) deps.push_back(dma(s.core, in_bytes, false, written, from));
          SlotRing::Slot& o = out_ring.advance();
          if (o.last_user) deps.push_back(*o.last_user);
          Command c;
          c.unit = UnitKind::vector;
          c.core = s.core;
          c.cycles = count_reduction_chunk(p, parts, elements, 1);
          c.deps = std::move(deps);
          const CommandId v = emit(std::move(c));
          in.last_user = v;
          o.last_user = dma(s.core, element_bytes(p.out, elements), true, {v}, output_target());
          m_rows[static_cast<std::size_t>(m_op)].add(a, b, s.core, *o.last_user);
        }
    }
  }

  void vector(const Op& op) {
    const VectorLayout l = vector_layout(op);
    check_program_size(op, 3 * u64(ceil_div(l.share, l.chunk)) * u64(m_arch.cores));
    const MemoryTarget source = source_of_all(op);
    for (int core = 0; core < m_arch.cores; ++core) {
      SlotRing in_ring(m_recent_compute[core].ids), out_ring(m_recent_store[core].ids);
      const i64 begin = std::min(l.rows, l.share * core), end = std::min(l.rows, l.share * (core + 1));
      for (i64 r0 = begin; r0 < end; r0 += l.chunk) {
        const i64 r = std::min(l.chunk, end - r0);
        std::vector<CommandId> deps, prod;
        row_deps(op, l.op_row(r0), l.op_row(r0 + r - 1) + 1, prod);
        load_operand(in_ring, {r0, -1, -1, -1}, l.row_in * u64(r), core, prod, deps, source);
        SlotRing::Slot& o = out_ring.advance();
        if (o.last_user) deps.push_back(*o.last_user);
        Command c;
        c.unit = UnitKind::vector;
        c.core = core;
        c.cycles = count_vector_chunk(op, l, r, 1);
        c.deps = std::move(deps);
        CommandId v = emit(std::move(c));
        in_ring.current().last_user = v;
        o.last_user = dma(core, l.row_out * u64(r), true, {v}, output_target());
        m_rows[static_cast<std::size_t>(m_op)].add(l.op_row(r0), l.op_row(r0 + r - 1) + 1, core, *o.last_user);
      }
    }
    finish_op();
  }

  // (5) Transfers: the embedding gather (DMA in, DMA out). KV-cache writes are the K/V projections'
  // stores and KV-cache reads are the attention matmuls' operand loads, so they add no commands.
  void transfer(const Op& op) {
    const std::vector<GatherShare> shares = plan_transfer(op);
    if (op.kind != OpKind::embedding) {
      m_done[m_op] = producers(op);
      return;
    }
    const std::vector<CommandId> prod = producers(op);
    for (const GatherShare& s : shares) {
      const CommandId in = dma(s.core, s.in_bytes, false, prod, MemoryTarget::dram);
      const CommandId out = dma(s.core, s.out_bytes, true, {in}, output_target());
      m_rows[static_cast<std::size_t>(m_op)].add(s.begin, s.end, s.core, out);
    }
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
