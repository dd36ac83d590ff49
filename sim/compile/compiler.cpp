#include "sim/compile/compiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "arch/config/error.h"
#include "arch/int_math.h"
#include "sim/compile/core_split.h"
#include "sim/compile/op_timer.h"
#include "sim/compile/split_emitter.h"
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
  Compiler(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph, MapperChoice choice,
           const EventPrices* prices)
      : ProgramBuilder(arch, model, graph), m_choice(choice), m_prices(prices) {}

  Program run() {
    check_dram_capacity();
    for (std::size_t i = 0; i < m_graph.ops.size(); ++i) {
      m_op = static_cast<int>(i);
      const Op& op = m_graph.ops[i];
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
    // Ops of equal problems with as many independent siblings (every layer's projections) compile to the
    // same commands: chosen once, for the whole sibling group.
    const int siblings = sibling_group();
    const auto key = std::pair(gemm_problem_key(p), siblings);
    auto chosen = m_chosen.find(key);
    if (chosen == m_chosen.end())
      chosen = m_chosen.emplace(key, choose_split(*this, op, p, m_choice, m_prices, siblings)).first;
    const std::optional<GemmSplit>& split = chosen->second;
    if (!split) throw_no_fit(op, p);
    OpPlan& plan = m_prog.ops[m_op];
    plan.compute = compute_precision(op.a_prec, op.b_prec);
    plan.gemm = p;
    plan.note = describe(*split);
    check_matmul_size(op, p, *split);
    emit_matmul(*this, op, p, *split, m_next_core);
    m_next_core = (m_next_core + split->used) % m_arch.cores;
    plan.compulsory_dram_bytes = compulsory_bytes(op);
    m_staged.clear();
    finish_op();
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
        CommandDeps deps, prod;
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
    const CommandDeps prod = producers(op);
    for (const GatherShare& s : shares) {
      const CommandId in = dma(s.core, s.in_bytes, false, prod, MemoryTarget::dram);
      const CommandId out = dma(s.core, s.out_bytes, true, {in}, output_target());
      m_rows[static_cast<std::size_t>(m_op)].add(s.begin, s.end, s.core, out);
    }
    finish_op();
  }

  MapperChoice m_choice;
  const EventPrices* m_prices;
  int m_next_core = 0;  // where the next matmul's first share runs
  // By problem and sibling group size: the split it compiles to.
  std::map<std::pair<GemmProblemKey, int>, std::optional<GemmSplit>> m_chosen;
};

}  // namespace

Precision compute_precision(Precision a, Precision b) {
  if (a == b) return a;
  const bool fa = !is_integer(a), fb = !is_integer(b);
  if (fa != fb) return fa ? a : b;
  return bits_of(b) > bits_of(a) ? b : a;
}

Program compile(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph, MapperChoice choice,
                const EventPrices* prices) {
  return Compiler(arch, model, graph, choice, prices).run();
}

}  // namespace catsim
