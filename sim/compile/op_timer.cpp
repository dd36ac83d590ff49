#include "sim/compile/op_timer.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "arch/config/error.h"
#include "sim/compile/split_emitter.h"
#include "sim/engine/event_engine.h"
#include "sim/run/simulation.h"

namespace catsim {
namespace {

using u64 = std::uint64_t;

// What decides a split's commands: its shares and, per share, the tiles, folds, loop order (where there is
// an order), holds and reloading.
std::vector<std::int64_t> program_key(const GemmSplit& split) {
  std::vector<std::int64_t> key{static_cast<std::int64_t>(split.axis), split.used, split.m_parts};
  for (std::size_t i = 0; i < split.shares.size(); ++i) {
    const GemmShare& s = split.shares[i];
    key.insert(key.end(), {s.inst0, s.inst1, s.m0, s.m1, s.n0, s.n1, s.k0, s.k1});
    if (s.empty()) continue;
    const GemmMapping& g = split.mappings[i];
    const bool ordered = g.n1 > 1 && g.n2 > 1;
    key.insert(key.end(), {g.t1, g.t2, g.ts, g.u1, g.u2, ordered && g.p1_outer, g.hold_x1, g.hold_x2, g.reload});
  }
  return key;
}

}  // namespace

Program program_alone(const ProgramBuilder& context, const Op& op, const GemmProblem& p, const GemmSplit& split) {
  ProgramBuilder b = ProgramBuilder::for_op_alone(context);
  b.plan().gemm = p;
  emit_matmul(b, op, p, split, 0);
  return std::move(b.m_prog);
}

std::optional<u64> time_alone(const ProgramBuilder& context, const Op& op, const GemmProblem& p, const GemmSplit& split,
                              u64 deadline) {
  return makespan_within(context.m_arch, program_alone(context, op, p, split), deadline);
}

u64 time_alone_floor(const GemmProblem& p, const GemmSplit& split) {
  if (p.causal.on()) return 0;
  u64 floor = 0;
  for (std::size_t i = 0; i < split.shares.size(); ++i)
    if (!split.shares[i].empty()) floor = std::max(floor, split.mappings[i].array_cycles);
  return floor;
}

std::optional<GemmSplit> choose_timed_split(const ProgramBuilder& context, const Op& op, const GemmProblem& p,
                                            const EventPrices* prices) {
  std::vector<SplitOption> options = gemm_split_options(context.m_arch, p, kRankedMappings);
  if (options.empty()) return std::nullopt;
  // The estimate's choice among the splits over each number of cores (choose_gemm_split's rule over the same
  // options, before they are reordered), and the overall one, which is one of them. Their programs are found
  // again below by key (a twin that compiles to the same commands may stand for one).
  const std::optional<std::size_t> pick = estimated_choice(options);
  const std::vector<std::int64_t> estimated_key = pick ? program_key(options[*pick].split) : std::vector<std::int64_t>{};
  struct OwnChoice {
    u64 commands = kMaxTimedCommands;
    std::vector<std::int64_t> key;
  };
  std::map<int, OwnChoice> own;  // by cores used
  for (const SplitOption& o : options)
    if (!own.count(o.split.used)) {
      const std::optional<std::size_t> at = estimated_choice(options, o.split.used);
      own[o.split.used] = at ? OwnChoice{matmul_command_bound(p, options[*at].split), program_key(options[*at].split)}
                             : OwnChoice{};
    }
  std::stable_sort(options.begin(), options.end(), [](const SplitOption& a, const SplitOption& b) {
    return std::make_tuple(a.split.estimate, a.cost) < std::make_tuple(b.split.estimate, b.cost);
  });
  // Mappings that differ only where it changes no command (the loop order of a single row or column of
  // tiles) compile to the same program: one of them is run.
  std::set<std::vector<std::int64_t>> programs;
  std::erase_if(options, [&](const SplitOption& o) { return !programs.insert(program_key(o.split)).second; });
  // Under mapper.objective energy or edp each candidate runs to its end and is scored by its energy alone
  // (its events at the design's prices, leakage over its time) or that times its cycles; under latency the
  // score is 0 and the cycles decide. Ties: fewer cycles, then the lower byte cost, then the lower estimate.
  const MapperObjective objective = context.m_arch.mapper.objective;
  if (objective != MapperObjective::latency && !prices)
    throw ConfigError(context.m_arch.where("mapper.objective"), "mapper.objective",
                      "'" + std::string(name_of(objective)) + "' needs the energy model, which this command does not load");
  struct Timed {
    double score;
    u64 cycles, cost, estimate;
    const GemmSplit* split;
    auto rank() const { return std::tie(score, cycles, cost, estimate); }
  };
  std::optional<Timed> best;
  auto run_candidate = [&](const SplitOption& o) -> std::optional<Timed> {
    if (objective == MapperObjective::latency) {
      const std::optional<u64> cycles = time_alone(context, op, p, o.split, best ? best->cycles : ~u64{0});
      if (!cycles) return std::nullopt;  // slower than the best so far
      return Timed{0, *cycles, o.cost, o.split.estimate, &o.split};
    }
    const Program alone = program_alone(context, op, p, o.split);
    const EngineResult r = run_events(context.m_arch, alone);
    const double joules = prices->energy_j(run_event_counts(context.m_arch, alone, r));
    const double score = !(joules >= 0)                       ? std::numeric_limits<double>::infinity()
                         : objective == MapperObjective::energy ? joules
                                                                : joules * static_cast<double>(r.cycles);
    return Timed{score, r.cycles, o.cost, o.split.estimate, &o.split};
  };
  std::vector<bool> run(options.size(), false);
  auto consider = [&](std::size_t i) {
    if (run[i]) return;
    run[i] = true;
    const SplitOption& o = options[i];
    // Cannot win, not even a tie.
    if (objective == MapperObjective::latency && best && time_alone_floor(p, o.split) > best->cycles) return;
    const std::optional<Timed> t = run_candidate(o);
    if (t && (!best || t->rank() < best->rank())) best = t;
  };
  // The estimate's own choice first: it bounds the rest early.
  if (pick)
    for (std::size_t i = 0; i < options.size(); ++i)
      if (program_key(options[i].split) == estimated_key) {
        consider(i);
        break;
      }
  // Then the candidates of each number of cores used, selected from that group's options alone. A chip with
  // twice the cores has every group of this one (gemm_split_options), with the same options, so it runs every
  // candidate this one runs and the op is never slower alone on it.
  std::vector<int> used;
  for (const SplitOption& o : options) used.push_back(o.split.used);
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  for (int u : used) {
    std::vector<std::size_t> group;
    u64 commands = 0;
    bool whole = true;
    for (std::size_t i = 0; i < options.size(); ++i)
      if (options[i].split.used == u) {
        group.push_back(i);
        commands = std::min(kExhaustiveCommands + 1,
                            commands + std::min(kExhaustiveCommands, matmul_command_bound(p, options[i].split)));
        whole = whole && options[i].offered < kRankedMappings;
      }
    if (whole && commands <= kExhaustiveCommands) {
      for (std::size_t i : group) consider(i);
      continue;
    }
    // Beyond a small space, no candidate takes more commands than the group's estimate's choice: a program's
    // size is bounded (kMaxCommands), and every op's share of it stays what it was.
    const u64 limit = std::min(kMaxTimedCommands, own[u].commands + 64);
    // Adds candidate i to the group's selection and runs it (if it has not run already), unless it is selected
    // already or too large; returns whether it was added. The group's estimated choice runs first, outside the
    // count, so the selection depends on the group's options alone: a chip with more cores, whose overall
    // estimate may choose elsewhere, selects the same candidates for this number of cores.
    std::set<std::size_t> selected;
    auto take = [&](std::size_t i) {
      if (selected.count(i) || matmul_command_bound(p, options[i].split) > limit) return false;
      selected.insert(i);
      consider(i);
      return true;
    };
    for (std::size_t i : group)
      if (program_key(options[i].split) == own[u].key) {
        selected.insert(i);
        consider(i);
        break;
      }
    int timed = 0;
    for (std::size_t k = 0; k < group.size() && timed < kTimedSplits; ++k)
      if (options[group[k]].variant == 0 && take(group[k])) ++timed;
    for (std::size_t k = 0; k < group.size() && timed < kTimedCandidates; ++k)
      if (take(group[k])) ++timed;
    // Energy and edp also run the group's candidates that move the fewest bytes (weighted as GemmTraffic).
    if (objective == MapperObjective::latency) continue;
    std::stable_sort(group.begin(), group.end(), [&](std::size_t a, std::size_t b) { return options[a].cost < options[b].cost; });
    for (std::size_t k = 0, cheap = 0; k < group.size() && cheap < kTimedSplits; ++k)
      if (take(group[k])) ++cheap;
  }
  return best ? *best->split : options.front().split;
}

std::optional<GemmSplit> choose_split(const ProgramBuilder& context, const Op& op, const GemmProblem& p,
                                      MapperChoice choice, const EventPrices* prices) {
  return choice == MapperChoice::engine_time ? choose_timed_split(context, op, p, prices)
                                             : choose_gemm_split(context.m_arch, p);
}

}  // namespace catsim
