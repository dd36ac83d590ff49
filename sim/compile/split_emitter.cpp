#include "sim/compile/split_emitter.h"

#include <algorithm>

#include "arch/int_math.h"
#include "sim/compile/matmul_emitter.h"

namespace catsim {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

// A K split's reduction: each of the `parts` cores that computed partial sums adds all parts for its slice of
// the output (rows, or columns when there are fewer rows than parts) in chunks that fit its scratchpad
// double-buffered, and stores the sums where the op's output lives. A chunk waits only for the partial
// stores of its rows.
void reduce_partials(ProgramBuilder& b, const GemmProblem& p, int parts, int first_core) {
  const ArchSpec& arch = b.m_arch;
  const MemoryTarget from = partials_on_chip(arch, p, parts) ? MemoryTarget::global_buffer : MemoryTarget::dram;
  const u64 acc = u64(p.acc_bits) / 8;
  const Op& op = b.m_graph.ops[static_cast<std::size_t>(b.m_op)];
  for (const ProgramBuilder::ReductionShare& s : b.reduction_shares(p, parts, first_core)) {
    b.check_program_size(op, u64(parts + 2) * u64(ceil_div(s.r1 - s.r0, s.chunk_rows)) *
                                 u64(ceil_div(s.c1 - s.c0, s.width)));
    SlotRing in_ring(b.m_recent_compute[s.core].ids), out_ring(b.m_recent_store[s.core].ids);
    for (i64 r = s.r0; r < s.r1; r += s.chunk_rows)
      for (i64 x = s.c0; x < s.c1; x += s.width) {
        const i64 r_end = std::min(s.r1, r + s.chunk_rows), x_end = std::min(s.c1, x + s.width);
        const u64 elements = u64(r_end - r) * u64(x_end - x), in_bytes = elements * acc;
        CommandDeps written, deps;
        b.m_partial_rows.query(r, r_end, written);
        SlotRing::Slot& in = in_ring.advance();
        if (in.last_user) written.push_back(*in.last_user);
        for (int part = 0; part < parts; ++part) deps.push_back(b.dma(s.core, in_bytes, false, written, from));
        SlotRing::Slot& o = out_ring.advance();
        if (o.last_user) deps.push_back(*o.last_user);
        Command c;
        c.unit = UnitKind::vector;
        c.core = s.core;
        c.cycles = b.count_reduction_chunk(p, parts, elements, 1);
        c.deps = std::move(deps);
        const CommandId v = b.emit(std::move(c));
        in.last_user = v;
        o.last_user = b.dma(s.core, element_bytes(p.out, elements), true, {v}, b.output_target());
        b.m_rows[static_cast<std::size_t>(b.m_op)].add(r, r_end, s.core, *o.last_user);
      }
  }
}

}  // namespace

void emit_matmul(ProgramBuilder& b, const Op& op, const GemmProblem& p, const GemmSplit& split, int first_core) {
  const int cores = b.m_arch.cores;
  OpPlan& plan = b.plan();
  // Share j runs on core (first_core + j): an op on fewer cores than the chip has leaves the next ones free
  // for the next op, so independent ops (the Q, K and V projections) run side by side.
  for (int core = 0; core < cores; ++core) {
    const int j = (core - first_core + cores) % cores;
    plan.cores.push_back({split.shares[j], split.mappings[j]});
  }
  // A K split's shares write partial sums (accumulator width) instead of the output; the reduction adds them.
  const bool k_split = split.axis == SplitAxis::k;
  const GemmProblem emitted = k_split ? partial_sums_problem(b.m_arch, p, split.used) : p;
  if (k_split) b.m_partial_rows = RowIndex(p.m);
  for (int core = 0; core < cores; ++core)
    if (!plan.cores[core].share.empty()) emit_matmul_share(b, op, emitted, core, plan.cores[core], k_split);
  if (k_split) reduce_partials(b, p, split.used, first_core);
  b.note_skipped_tiles();
}

}  // namespace catsim
