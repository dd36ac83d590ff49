#include "sim/compile/op_timer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>

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
  std::vector<std::int64_t> key;
  key.reserve(3 + 18 * split.shares.size());
  key.insert(key.end(), {static_cast<std::int64_t>(split.axis), split.used, split.m_parts});
  for (std::size_t i = 0; i < split.shares.size(); ++i) {
    const GemmShare& s = split.shares[i];
    key.insert(key.end(), {s.inst0, s.inst1, s.m0, s.m1, s.n0, s.n1, s.k0, s.k1});
    if (s.empty()) continue;
    const GemmMapping& g = split.mappings[i];
    const bool ordered = g.n1 > 1 && g.n2 > 1;
    key.insert(key.end(),
               {g.t1, g.t2, g.ts, g.u1, g.u2, ordered && g.p1_outer, g.hold_x1, g.hold_x2, g.reload, g.single_stat});
  }
  return key;
}

// A hash of a program key, for the sets of keys seen.
struct KeyHash {
  std::size_t operator()(const std::vector<std::int64_t>& key) const {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the values
    for (const std::int64_t v : key) h = (h ^ static_cast<std::uint64_t>(v)) * 1099511628211ull;
    return static_cast<std::size_t>(h);
  }
};
using KeySet = std::unordered_set<std::vector<std::int64_t>, KeyHash>;

}  // namespace

Program program_alone(const ProgramBuilder& context, const Op& op, const GemmProblem& p, const GemmSplit& split,
                      int siblings) {
  ProgramBuilder b = ProgramBuilder::for_op_alone(context, siblings);
  int core = 0;
  for (int i = 0; i < siblings; ++i) {
    b.m_op = context.m_op + i;
    b.plan().gemm = p;
    emit_matmul(b, i == 0 ? op : context.m_graph.ops[static_cast<std::size_t>(b.m_op)], p, split, core);
    core = (core + split.used) % context.m_arch.cores;
    b.m_staged.clear();
    b.finish_op();
  }
  return std::move(b.m_prog);
}

std::optional<u64> time_alone(const ProgramBuilder& context, const Op& op, const GemmProblem& p, const GemmSplit& split,
                              u64 deadline, int siblings) {
  return makespan_within(context.m_arch, program_alone(context, op, p, split, siblings), deadline);
}

u64 time_alone_floor(const ArchSpec& arch, const GemmProblem& p, const GemmSplit& split, int siblings) {
  if (p.causal.on()) return 0;
  const bool timed = arch.dram.model != DramModel::ideal;
  const bool port = timed && arch.sram.bytes_per_cycle > 0;
  double floor = 0, dram = 0, array = 0, moved = 0;
  for (std::size_t i = 0; i < split.shares.size(); ++i) {
    if (split.shares[i].empty()) continue;
    const GemmMapping& g = split.mappings[i];
    const double bytes = static_cast<double>(g.traffic.dram + g.traffic.global);
    floor = std::max(floor, static_cast<double>(g.array_cycles));
    if (port) floor = std::max(floor, bytes / arch.sram.bytes_per_cycle);
    dram += static_cast<double>(g.traffic.dram);
    array += static_cast<double>(g.array_cycles);
    moved += bytes;
  }
  const double ops = siblings, cores = arch.cores;
  floor = std::max(floor, ops * array / cores);
  if (port) floor = std::max(floor, ops * moved / (cores * arch.sram.bytes_per_cycle));
  if (timed && arch.dram_bytes_per_cycle() > 0) floor = std::max(floor, ops * dram / arch.dram_bytes_per_cycle());
  return static_cast<u64>(std::min(floor, 0x1p63));
}

namespace {

// A smaller scratchpad's candidate beyond this chip's own command limit runs within 1/kLadderShare of an op's
// share of kMaxCommands, in a small space as in a large one: down the ladder the tiles shrink and the
// programs grow while their times stay close. 300 decode steps of a 2-layer Llama on edge_npu took 8.2 s
// before the ladder, 23.0 s with small spaces uncapped and 16 s now (12.4 s with 1/64, but then BERT-base's
// projections lose the smaller scratchpads' winners: the CATransformers grid's wrong-way scratchpad steps
// were 56, against 6 with 1/16). A single GEMM's share is 200,000 commands (kMaxTimedCommands).
constexpr std::uint64_t kLadderShare = 16;

// The arch of the same design with a scratchpad 2^-times as large (each part of a split one as well): a
// design with less scratchpad, whose candidates the op timer keeps on this one.
ArchSpec with_scratchpad_halved(const ArchSpec& arch, int times) {
  ArchSpec smaller = arch;
  const double scale = std::ldexp(1.0, -times);
  smaller.sram.kib *= scale;
  for (std::optional<double>* part : {&smaller.sram.ifmap_kib, &smaller.sram.weight_kib, &smaller.sram.ofmap_kib})
    if (*part) **part *= scale;
  return smaller;
}

// Runs an op's candidates through the engine and keeps the best by the arch's mapper.objective. The
// candidates come in selections, one per design with a smaller scratchpad; a program already run (by key)
// is not run again.
class TimedChooser {
 public:
  TimedChooser(const ProgramBuilder& context, const Op& op, const GemmProblem& p, const EventPrices* prices,
               int siblings)
      : m_context(context),
        m_op(op),
        m_p(p),
        m_prices(prices),
        m_siblings(siblings),
        m_objective(context.m_arch.mapper.objective),
        m_ideal(context.m_arch.dram.model == DramModel::ideal) {
    const auto matmuls = std::count_if(context.m_graph.ops.begin(), context.m_graph.ops.end(),
                                       [](const Op& o) { return is_matmul(o.kind); });
    m_fair = kMaxCommands / static_cast<u64>(std::max<std::ptrdiff_t>(1, matmuls));
    m_share = std::min<u64>(kMaxTimedCommands, m_fair / kLadderShare);
    if (m_objective != MapperObjective::latency && !prices)
      throw ConfigError(context.m_arch.where("mapper.objective"), "mapper.objective",
                        "'" + std::string(name_of(m_objective)) + "' needs the energy model, which this command does not load");
  }

  // Selects the candidates that a design whose mapping space is `options` (gemm_split_options) selects: this
  // design's at `halvings` 0, then a design with 2^-halvings of its scratchpad. Of a smaller design's
  // selection, a candidate runs when its commands stay within this design's limit for its number of cores
  // or within the op's share of a program (kMaxCommands over kLadderShare times the graph's matmuls), so
  // the program stays far within kMaxCommands wherever its ops choose, and the runs stay few.
  // `options` is sorted and thinned in place, and must outlive run_selected().
  void select(std::vector<SplitOption>& options, int halvings);

  // Runs every selected candidate in the order of their floors, then estimates (the choice does not depend
  // on the order: a candidate is passed over only where it cannot be chosen), so that the fastest is found
  // early and the floors of the rest pass over most of them before they are compiled.
  void run_selected();

  // The choice among the candidates run: under latency, the lowest byte cost (then the fewest commands)
  // among those within kTieBand of the fastest; under energy or edp, the lowest score.
  std::optional<GemmSplit> best() const;

 private:
  // Under mapper.objective energy or edp each candidate runs to its end and is scored by its energy alone
  // (its events at the design's prices, leakage over its time) or that times its cycles; under latency the
  // score is 0 and the cycles decide.
  struct Timed {
    double score;
    u64 cycles, cost, commands, estimate;
    GemmSplit split;
    auto rank() const { return std::tie(score, cycles, cost, commands, estimate); }
    auto tie_rank() const { return std::tie(cost, commands, cycles, estimate); }
  };
  // `commands`: matmul_command_bound of o's split.
  std::optional<Timed> run(const SplitOption& o, u64 commands) const;
  // Selects `o` (whose program_key is `key`) unless its program was selected already or its commands
  // exceed `cap`.
  void consider(const SplitOption& o, const std::vector<std::int64_t>& key, u64 cap = ~u64{0});
  // Runs `o` (`floor`: its time_alone_floor) unless it cannot be chosen (latency: its floor is beyond a tie
  // with the fastest so far, or it could only tie and moves more bytes), and keeps it when it is the best.
  void run_one(const SplitOption& o, u64 commands, u64 floor);
  // Latency: the best of the ties so far (the lowest tie_rank in m_near), or nullptr before any run.
  const Timed* best_tie() const;
  // The slowest time that ties with `fastest` under latency: within 1/kTieBand of it, none under ideal
  // memory (where bytes cost nothing).
  u64 tie_limit(u64 fastest) const { return m_ideal ? fastest : fastest + fastest / kTieBand; }

  const ProgramBuilder& m_context;
  const Op& m_op;
  const GemmProblem& m_p;
  const EventPrices* m_prices;
  int m_siblings;  // the op and the independent siblings timed with it
  MapperObjective m_objective;
  bool m_ideal;
  std::optional<Timed> m_best;       // energy, edp: the lowest score so far
  std::optional<u64> m_fastest;      // latency: the fastest time so far
  std::vector<Timed> m_near;         // latency: the candidates within the tie limit of the fastest so far
  KeySet m_run;  // program keys selected already
  struct Selected {
    const SplitOption* option;  // in the options select() was given
    u64 commands, floor;
  };
  std::vector<Selected> m_selected;  // to run, in the order selected
  std::map<int, u64> m_limit;                 // this design's command limit by cores used
  u64 m_fair;                                 // an op's part of a program's commands (kMaxCommands / matmuls)
  u64 m_share;                                // of which a smaller scratchpad's candidates may take
};

std::optional<TimedChooser::Timed> TimedChooser::run(const SplitOption& o, u64 commands) const {
  if (m_objective == MapperObjective::latency) {
    const u64 deadline = m_fastest ? tie_limit(*m_fastest) : ~u64{0};
    const std::optional<u64> cycles = time_alone(m_context, m_op, m_p, o.split, deadline, m_siblings);
    if (!cycles) return std::nullopt;  // beyond a tie with the fastest so far
    return Timed{0, *cycles, o.cost, commands, o.split.estimate, o.split};
  }
  const Program alone = program_alone(m_context, m_op, m_p, o.split, m_siblings);
  const EngineResult r = run_events(m_context.m_arch, alone);
  const double joules = m_prices->energy_j(run_event_counts(m_context.m_arch, alone, r));
  const double score = !(joules >= 0)                         ? std::numeric_limits<double>::infinity()
                       : m_objective == MapperObjective::energy ? joules
                                                                : joules * static_cast<double>(r.cycles);
  return Timed{score, r.cycles, o.cost, commands, o.split.estimate, o.split};
}

const TimedChooser::Timed* TimedChooser::best_tie() const {
  const auto at = std::min_element(m_near.begin(), m_near.end(),
                                   [](const Timed& a, const Timed& b) { return a.tie_rank() < b.tie_rank(); });
  return at == m_near.end() ? nullptr : &*at;
}

void TimedChooser::consider(const SplitOption& o, const std::vector<std::int64_t>& key, u64 cap) {
  const u64 commands = matmul_command_bound(m_p, o.split);
  if (commands > cap || !m_run.insert(key).second) return;
  m_selected.push_back({&o, commands, time_alone_floor(m_context.m_arch, m_p, o.split, m_siblings)});
}

void TimedChooser::run_selected() {
  std::stable_sort(m_selected.begin(), m_selected.end(), [](const Selected& a, const Selected& b) {
    return std::make_tuple(a.floor, a.option->split.estimate) < std::make_tuple(b.floor, b.option->split.estimate);
  });
  for (const Selected& s : m_selected) run_one(*s.option, s.commands, s.floor);
  m_selected.clear();
}

void TimedChooser::run_one(const SplitOption& o, u64 commands, u64 floor) {
  if (m_objective != MapperObjective::latency) {
    std::optional<Timed> t = run(o, commands);
    if (t && (!m_best || t->rank() < m_best->rank())) m_best = std::move(t);
    return;
  }
  // Cannot win: beyond a tie with the fastest; or no faster than the fastest (so the tie band stays) and
  // behind the best of the ties by bytes and commands.
  if (m_fastest) {
    if (floor > tie_limit(*m_fastest)) return;
    const Timed* tied = best_tie();
    if (floor >= *m_fastest && tied && std::make_pair(o.cost, commands) > std::make_pair(tied->cost, tied->commands))
      return;
  }
  std::optional<Timed> t = run(o, commands);
  if (!t) return;
  if (!m_fastest || t->cycles < *m_fastest) {
    m_fastest = t->cycles;
    std::erase_if(m_near, [&](const Timed& n) { return n.cycles > tie_limit(*m_fastest); });
  }
  if (t->cycles <= tie_limit(*m_fastest)) m_near.push_back(std::move(*t));
}

std::optional<GemmSplit> TimedChooser::best() const {
  const Timed* best = m_objective == MapperObjective::latency ? best_tie() : (m_best ? &*m_best : nullptr);
  return best ? std::optional<GemmSplit>(best->split) : std::nullopt;
}

void TimedChooser::select(std::vector<SplitOption>& options, int halvings) {
  const GemmProblem& p = m_p;
  // No cap on this design's own choices; a smaller design's are capped as its other candidates.
  auto cap_of = [&](int used) {
    if (halvings == 0) return ~u64{0};
    const auto it = m_limit.find(used);
    const u64 limit = it == m_limit.end() ? 0 : it->second;
    return std::max(limit, m_share);
  };
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
  // tiles) compile to the same program: one of them is run. key(i): program_key of options[i].
  KeySet programs;
  std::vector<const std::vector<std::int64_t>*> key_of;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < options.size(); ++i) {
    const auto [at, fresh] = programs.insert(program_key(options[i].split));
    if (!fresh) continue;
    if (kept != i) options[kept] = std::move(options[i]);
    key_of.push_back(&*at);
    ++kept;
  }
  options.resize(kept);
  auto key = [&](std::size_t i) -> const std::vector<std::int64_t>& { return *key_of[i]; };
  // The estimate's own choice first: it bounds the rest early.
  if (pick)
    for (std::size_t i = 0; i < options.size(); ++i)
      if (key(i) == estimated_key) {
        consider(options[i], key(i), cap_of(options[i].split.used));
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
                            commands + std::min(kExhaustiveCommands + 1, matmul_command_bound(p, options[i].split)));
        whole = whole && options[i].offered < kRankedMappings;
      }
    // Beyond a small space, no candidate takes more commands than kCommandsOverOwn times the group's estimate's
    // choice, nor beyond the op's part of the program where the estimate's choice stays within it: a program's
    // size is bounded (kMaxCommands), and the candidates of smaller arrays run where it has room for them.
    const u64 own_commands = own[u].commands + 64;
    const u64 limit = std::min(kMaxTimedCommands,
                               std::max(own_commands, std::min(kCommandsOverOwn * own[u].commands + 64, m_fair)));
    if (halvings == 0) m_limit[u] = std::min(kMaxTimedCommands, own_commands);
    if (whole && commands <= kExhaustiveCommands) {
      for (std::size_t i : group) consider(options[i], key(i), cap_of(u));
      continue;
    }
    // Adds candidate i to the group's selection and runs it (if it has not run already), unless it is selected
    // already or too large; returns whether it was added. The group's estimated choice runs first, outside the
    // count, so the selection depends on the group's options alone: a chip with more cores, whose overall
    // estimate may choose elsewhere, selects the same candidates for this number of cores.
    std::set<std::size_t> selected;
    auto take = [&](std::size_t i) {
      if (selected.count(i) || matmul_command_bound(p, options[i].split) > limit) return false;
      selected.insert(i);
      consider(options[i], key(i), cap_of(u));
      return true;
    };
    for (std::size_t i : group)
      if (key(i) == own[u].key) {
        selected.insert(i);
        consider(options[i], key(i), cap_of(u));
        break;
      }
    int timed = 0;
    for (std::size_t k = 0; k < group.size() && timed < kTimedSplits; ++k)
      if (options[group[k]].variant == 0 && take(group[k])) ++timed;
    for (std::size_t k = 0; k < group.size() && timed < kTimedCandidates; ++k)
      if (take(group[k])) ++timed;
    // Energy and edp also run the group's candidates that move the fewest bytes (weighted as GemmTraffic).
    if (m_objective == MapperObjective::latency) continue;
    std::stable_sort(group.begin(), group.end(), [&](std::size_t a, std::size_t b) { return options[a].cost < options[b].cost; });
    for (std::size_t k = 0, cheap = 0; k < group.size() && cheap < kTimedSplits; ++k)
      if (take(group[k])) ++cheap;
  }
}

}  // namespace

std::vector<std::vector<SplitOption>> scratchpad_ladder(const ArchSpec& arch, const GemmProblem& p) {
  std::vector<std::vector<SplitOption>> ladder;
  for (int halvings = 0; halvings <= kScratchpadHalvings; ++halvings) {
    std::vector<SplitOption> options = gemm_split_options(with_scratchpad_halved(arch, halvings), p, kRankedMappings);
    if (options.empty()) break;
    ladder.push_back(std::move(options));
  }
  return ladder;
}

std::optional<GemmSplit> choose_timed_split(const ProgramBuilder& context, const Op& op, const GemmProblem& p,
                                            const EventPrices* prices, int siblings) {
  // This design's selection, then that of the same design with half the scratchpad, a quarter, ...: a
  // design with twice the scratchpad runs every candidate this one runs (within the command caps of
  // TimedChooser::select), so the op is never slower alone on it.
  std::vector<std::vector<SplitOption>> ladder = scratchpad_ladder(context.m_arch, p);
  if (ladder.empty()) return std::nullopt;
  TimedChooser chooser(context, op, p, prices, siblings);
  for (std::size_t halvings = 0; halvings < ladder.size(); ++halvings)
    chooser.select(ladder[halvings], static_cast<int>(halvings));
  chooser.run_selected();
  return chooser.best();
}

std::optional<GemmSplit> choose_split(const ProgramBuilder& context, const Op& op, const GemmProblem& p,
                                      MapperChoice choice, const EventPrices* prices, int siblings) {
  return choice == MapperChoice::engine_time ? choose_timed_split(context, op, p, prices, siblings)
                                             : choose_gemm_split(context.m_arch, p);
}

}  // namespace catsim
