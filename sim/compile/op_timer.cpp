#include "sim/compile/op_timer.h"

#include <algorithm>
#include <tuple>

#include "sim/compile/split_emitter.h"
#include "sim/engine/event_engine.h"

namespace catsim {
namespace {

using u64 = std::uint64_t;

// Commands the split emits at most: six per tile step of every share (ProgramBuilder::check_matmul_size).
u64 command_bound(const GemmProblem& p, const GemmSplit& split) {
  u64 total = 0;
  for (const GemmMapping& g : split.mappings) {
    u64 steps = 6;
    for (const std::int64_t f : {g.n1, g.n2, g.ns, p.instances})
      if (__builtin_mul_overflow(steps, u64(f), &steps)) return ~u64{0};
    if (__builtin_add_overflow(total, steps, &total)) return ~u64{0};
  }
  return total;
}

}  // namespace

u64 time_alone(const ProgramBuilder& context, const Op& op, const GemmProblem& p, const GemmSplit& split) {
  ProgramBuilder b(context.m_arch, context.m_model, context.m_graph);
  b.m_op = context.m_op;
  // Where the op's inputs and output live, as the context decided for the ops so far.
  for (int i = 0; i <= context.m_op; ++i)
    b.m_prog.ops[static_cast<std::size_t>(i)].output_in_global_buffer =
        context.m_prog.ops[static_cast<std::size_t>(i)].output_in_global_buffer;
  b.plan().gemm = p;
  b.m_rows[static_cast<std::size_t>(b.m_op)] = RowIndex(ProgramBuilder::output_rows(op));
  emit_matmul(b, op, p, split, 0);
  return run_events(context.m_arch, b.m_prog).cycles;
}

std::optional<GemmSplit> choose_timed_split(const ProgramBuilder& context, const Op& op, const GemmProblem& p) {
  std::vector<SplitOption> options = gemm_split_options(context.m_arch, p, kMappingVariants);
  if (options.empty()) return std::nullopt;
  std::stable_sort(options.begin(), options.end(), [](const SplitOption& a, const SplitOption& b) {
    return std::make_tuple(a.split.estimate, a.cost) < std::make_tuple(b.split.estimate, b.cost);
  });
  // The estimate's own choice is always run, beside the fastest estimates.
  const std::optional<GemmSplit> estimated = choose_gemm_split(context.m_arch, p);
  struct Timed {
    u64 cycles, cost, estimate;
    const GemmSplit* split;
  };
  // A candidate may take at most twice the commands of the estimate's choice: a program's size is bounded
  // (kMaxCommands), and a finer schedule's few cycles of overlap are not worth a simulation twice as long.
  const u64 own = estimated ? std::min(command_bound(p, *estimated), kMaxTimedCommands) : kMaxTimedCommands;
  const u64 limit = std::min(kMaxTimedCommands, 2 * own + 64);
  std::optional<Timed> best;
  std::vector<bool> run(options.size(), false);
  int timed = 0;
  auto consider = [&](std::size_t i) {
    const SplitOption& o = options[i];
    if (command_bound(p, o.split) > limit) return;
    const Timed t{time_alone(context, op, p, o.split), o.cost, o.split.estimate, &o.split};
    run[i] = true;
    ++timed;
    if (!best || std::tie(t.cycles, t.cost, t.estimate) < std::tie(best->cycles, best->cost, best->estimate)) best = t;
  };
  for (std::size_t i = 0; i < options.size() && timed < kTimedCandidates; ++i) consider(i);
  if (estimated)
    for (std::size_t i = 0; i < options.size(); ++i) {
      const GemmSplit& o = options[i].split;
      if (o.axis == estimated->axis && o.used == estimated->used && o.m_parts == estimated->m_parts &&
          o.mappings == estimated->mappings) {
        if (!run[i]) consider(i);
        break;
      }
    }
  if (!best) return estimated ? estimated : std::optional<GemmSplit>(options.front().split);
  return *best->split;
}

}  // namespace catsim
