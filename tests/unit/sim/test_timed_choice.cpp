// The mapper chooses by the engine's time (sim/compile/op_timer.h): on random small GEMMs and archs, the
// chosen split and mappings run alone exactly as fast as the fastest candidate of the whole space, each
// candidate compiled alone and run one by one here; the choice's time is checked on the SystemC model too.
// Under mapper.objective energy and edp the choice is the least energy (energy x cycles) of the space. Two
// or three independent GEMMs of one shape (siblings) are timed together, and their choice is the fastest of
// the space for the group. Each run draws a fresh seed (printed on failure) beside fixed regression seeds.

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>

#include "arch/arch_parser.h"
#include "sim/compile/op_timer.h"
#include "sim/engine/event_engine.h"
#include "sim/run/simulation.h"
#include "sim/run/fork_runner.h"
#include "tests/support/arch_text.h"
#include "tests/support/paths.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

using u64 = std::uint64_t;

struct TimedDraw {
  std::string arch, model;
};

TimedDraw draw_timed(std::mt19937& rng) {
  auto pick = [&](auto... xs) {
    const std::string v[] = {xs...};
    return v[rng() % sizeof...(xs)];
  };
  TimedDraw d;
  d.arch = "name: r\nclock_mhz: 1000\ncores: " + pick("1", "2", "3") + "\nsystolic: {rows: " + pick("2", "4", "8") +
           ", cols: " + pick("2", "4", "8") + ", dataflow: " + pick("os", "ws", "is") +
           ", timing: " + pick("pipelined", "scalesim") + ", precisions: {int8: 1, fp16: 0.5}}\n" +
           "vector: {lanes: 8}\nsram: {kib: " + pick("1", "2", "8") + ", bytes_per_cycle: " + pick("8", "64") +
           pick("", ", global_kib: 64, global_bytes_per_cycle: 16") + "}\n" +
           "dram: {type: lpddr4, bandwidth_gbps: " + pick("4", "16") + ", latency_ns: " + pick("10", "100") +
           ", channels: " + pick("1", "2") + ", capacity_gib: 1, model: " + pick("timed", "timed", "ideal") + "}\n" +
           "dma: {outstanding: " + pick("2", "16") + "}\ntechnology: {node_nm: 22}\n";
  d.model = "kind: gemm\nm: " + std::to_string(1 + rng() % 24) + "\nn: " + std::to_string(1 + rng() % 24) +
            "\nk: " + std::to_string(1 + rng() % 48) + "\nprecision: " + pick("int8", "fp16") + "\n";
  return d;
}

// Prices that make bytes dear against MACs and leakage (pJ-scale, as a design's are), so that the energy
// choice differs from the latency choice on many draws.
EventPrices test_prices() {
  EventPrices prices;
  prices.mac_j.fill(0.5e-12);
  prices.reg_j.fill(0.1e-12);
  prices.sram_read_j.fill(1e-12);
  prices.sram_write_j.fill(1.2e-12);
  prices.dram_read_j = prices.dram_write_j = 80e-12;
  prices.vector_j.fill(0.3e-12);
  prices.dma_j = 5e-12;
  prices.logic_leak_w = 0.02;
  prices.sram_leak_w = 0.01;
  return prices;
}

// Under mapper.objective energy (edp) the choice's energy (energy x cycles) run alone is the least of the
// whole space, each candidate run one by one here.
void check_energy_objectives(std::uint32_t seed, int i, const TimedDraw& d, const ModelSpec& model, const OpGraph& graph,
                             int at) {
  const EventPrices prices = test_prices();
  for (const char* objective : {"energy", "edp"}) {
    const ArchSpec arch = test::arch_from_text("e" + std::to_string(i), d.arch, {std::string("arch.mapper.objective=") + objective});
    ProgramBuilder context(arch, model, graph);
    context.m_op = at;
    const Op& op = graph.ops[static_cast<std::size_t>(at)];
    const GemmProblem p = context.gemm_problem(op);
    auto score = [&](const GemmSplit& split) {
      const Program alone = program_alone(context, op, p, split);
      const EngineResult r = run_events(arch, alone);
      const double joules = prices.energy_j(run_event_counts(arch, alone, r));
      return std::string(objective) == "energy" ? joules : joules * static_cast<double>(r.cycles);
    };
    double least = std::numeric_limits<double>::infinity();
    for (const std::vector<SplitOption>& level : scratchpad_ladder(arch, p))
      for (const SplitOption& o : level) least = std::min(least, score(o.split));
    const std::optional<GemmSplit> chosen = choose_timed_split(context, op, p, &prices);
    ASSERT_TRUE(chosen);
    EXPECT_EQ(score(*chosen), least) << objective << ", seed " << seed << ", draw " << i << "\n" << d.arch << d.model;
  }
}

// Whether two splits are the same schedule: the same shares, each with the same mapping.
bool same_split(const GemmSplit& a, const GemmSplit& b) {
  if (a.axis != b.axis || a.used != b.used || a.shares.size() != b.shares.size()) return false;
  for (std::size_t j = 0; j < a.shares.size(); ++j) {
    const GemmShare &x = a.shares[j], &y = b.shares[j];
    if (std::tie(x.inst0, x.inst1, x.m0, x.m1, x.n0, x.n1, x.k0, x.k1) !=
        std::tie(y.inst0, y.inst1, y.m0, y.m1, y.n0, y.n1, y.k0, y.k1))
      return false;
    if (!x.empty() && !(a.mappings[j] == b.mappings[j])) return false;
  }
  return true;
}

// The draw's GEMM `copies` times over, as independent GEMMs of one shape (`kind: gemms`).
std::string copied(const std::string& gemm, int copies) {
  if (copies == 1) return gemm;
  const auto field = [&](const std::string& key) {
    const std::size_t at = gemm.find(key + ": ") + key.size() + 2;
    return gemm.substr(at, gemm.find('\n', at) - at);
  };
  std::string out = "kind: gemms\nprecision: " + field("precision") + "\ngemms:\n";
  for (int c = 0; c < copies; ++c)
    out += "  - {name: g" + std::to_string(c) + ", m: " + field("m") + ", n: " + field("n") + ", k: " + field("k") + "}\n";
  return out;
}

// Checks one draw; returns false when its space is beyond the exhaustive size (the draw is not counted).
// With `copies` > 1 the GEMM is drawn as that many independent siblings, chosen and timed as a group.
bool check(std::uint32_t seed, int i, const TimedDraw& d, int copies = 1) {
  const ArchSpec arch = test::arch_from_text("r" + std::to_string(i), d.arch);
  const ModelSpec model = load_model(test::write_file("g" + std::to_string(i) + ".yaml", copied(d.model, copies)));
  const OpGraph graph = lower(model);
  ProgramBuilder context(arch, model, graph);
  const auto at = std::find_if(graph.ops.begin(), graph.ops.end(), [](const Op& o) { return is_matmul(o.kind); });
  context.m_op = static_cast<int>(at - graph.ops.begin());
  const Op& op = *at;
  const GemmProblem p = context.gemm_problem(op);
  const int siblings = context.sibling_count(context.m_op);
  EXPECT_EQ(siblings, arch.cores > 1 ? copies : 1) << "seed " << seed << ", draw " << i;  // one core: no side by side
  // The whole space: this design's and that of every halving of its scratchpad. The chooser runs every
  // candidate of a number of cores used at one halving when they come to at most kExhaustiveCommands and
  // each share was offered fewer than kRankedMappings mappings (its whole space).
  std::vector<SplitOption> space;
  for (const std::vector<SplitOption>& level : scratchpad_ladder(arch, p)) {
    std::map<int, u64> commands;
    for (const SplitOption& o : level) {
      if (o.offered >= kRankedMappings) return false;
      commands[o.split.used] += matmul_command_bound(p, o.split);
    }
    for (const auto& [used, n] : commands)
      if (n > kExhaustiveCommands) return false;
    space.insert(space.end(), level.begin(), level.end());
  }
  const std::optional<GemmSplit> chosen = choose_timed_split(context, op, p, nullptr, siblings);
  if (space.empty()) {
    EXPECT_FALSE(chosen);
    return true;
  }
  std::vector<u64> cycles;
  for (const SplitOption& o : space) {
    cycles.push_back(run_events(arch, program_alone(context, op, p, o.split, siblings)).cycles);
    // The floor the chooser prunes by never exceeds a candidate's time.
    EXPECT_LE(time_alone_floor(arch, p, o.split, siblings), cycles.back())
        << "seed " << seed << ", draw " << i << "\n" << d.arch << d.model;
  }
  // The rule written out: within 1/2048 of the fastest (exactly the fastest under ideal memory), the lowest
  // byte cost, then the fewest commands.
  const u64 fastest = *std::min_element(cycles.begin(), cycles.end());
  const u64 tie = arch.dram.model == DramModel::ideal ? fastest : fastest + fastest / 2048;
  std::pair<u64, u64> least{~u64{0}, ~u64{0}};
  for (std::size_t j = 0; j < space.size(); ++j)
    if (cycles[j] <= tie) least = std::min(least, std::make_pair(space[j].cost, matmul_command_bound(p, space[j].split)));
  const Program program = program_alone(context, op, p, *chosen, siblings);
  const u64 mine = run_events(arch, program).cycles;
  EXPECT_LE(mine, tie) << "seed " << seed << ", draw " << i << " (" << space.size() << " candidates)\n"
                       << d.arch << d.model;
  const auto picked = std::find_if(space.begin(), space.end(), [&](const SplitOption& o) { return same_split(o.split, *chosen); });
  if (picked == space.end()) {
    ADD_FAILURE() << "the choice is no candidate of the space: seed " << seed << ", draw " << i;
    return true;
  }
  EXPECT_EQ(std::make_pair(picked->cost, matmul_command_bound(p, picked->split)), least)
      << "seed " << seed << ", draw " << i << "\n" << d.arch << d.model;
  const ChildOutcome sc = run_in_child([&] { return std::to_string(simulate(arch, program).cycles); }, 60);
  EXPECT_TRUE(sc.ok) << sc.error;
  EXPECT_EQ(sc.payload, std::to_string(mine)) << "seed " << seed << ", draw " << i << ": SystemC\n" << d.arch << d.model;
  if (copies == 1) check_energy_objectives(seed, i, d, model, graph, context.m_op);
  return true;
}

void run_seed(std::uint32_t seed) {
  std::mt19937 rng(seed);
  int counted = 0;
  for (int i = 0; i < 240 && counted < 12; ++i) counted += check(seed, i, draw_timed(rng)) ? 1 : 0;
  EXPECT_GE(counted, 4) << "seed " << seed << ": too few draws within the exhaustive size";
}

// The same with two or three siblings (each draw's GEMM as independent copies, timed as a group).
void run_sibling_seed(std::uint32_t seed) {
  std::mt19937 rng(seed);
  int counted = 0;
  for (int i = 0; i < 240 && counted < 8; ++i) {
    const TimedDraw d = draw_timed(rng);
    counted += check(seed, i, d, 2 + static_cast<int>(rng() % 2)) ? 1 : 0;
  }
  EXPECT_GE(counted, 4) << "seed " << seed << ": too few draws within the exhaustive size";
}

// A draw's arch with a larger INT8 GEMM (up to 200 in each dimension; most beyond the exhaustive size).
TimedDraw larger_draw(std::mt19937& rng) {
  TimedDraw d = draw_timed(rng);
  d.model = "kind: gemm\nm: " + std::to_string(1 + rng() % 200) + "\nn: " + std::to_string(1 + rng() % 200) +
            "\nk: " + std::to_string(1 + rng() % 200) + "\nprecision: int8\n";
  return d;
}

// The slowest time a larger design may choose against a smaller one's `t`: its choice is within 1/2048 of
// its fastest (the tie band), and its fastest is no slower than any time the smaller design runs.
u64 within_tie(u64 t) { return t == ~u64{0} ? t : t + t / 2048; }

// The chosen schedule's time alone on the draw's arch with `sets` applied.
u64 chosen_time(const TimedDraw& d, int i, const std::vector<std::string>& sets) {
  const ArchSpec arch = test::arch_from_text("c" + std::to_string(i), d.arch, sets);
  const ModelSpec model = load_model(test::write_file("m" + std::to_string(i) + ".yaml", d.model));
  const OpGraph graph = lower(model);
  ProgramBuilder context(arch, model, graph);
  const auto at = std::find_if(graph.ops.begin(), graph.ops.end(), [](const Op& o) { return is_matmul(o.kind); });
  context.m_op = static_cast<int>(at - graph.ops.begin());
  const GemmProblem p = context.gemm_problem(*at);
  const std::optional<GemmSplit> chosen = choose_timed_split(context, *at, p);
  return chosen ? run_events(arch, program_alone(context, *at, p, *chosen)).cycles : ~u64{0};
}

// Larger GEMMs than above (most beyond the exhaustive size): a chip with twice the cores (1 -> 2 -> 4, and
// 3 -> 6, a count that is no power of two) runs every candidate the smaller one runs, so its choice is never
// slower alone. Seed 1550656668 (draw 4) found the selection depending on where the overall estimate chose.
void more_cores_never_slower(std::uint32_t seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 6; ++i) {
    const TimedDraw d = larger_draw(rng);
    auto on = [&](int cores) { return chosen_time(d, i, {"arch.cores=" + std::to_string(cores)}); };
    const u64 one = on(1), two = on(2), four = on(4), three = on(3), six = on(6);
    EXPECT_LE(two, within_tie(one)) << "seed " << seed << ", draw " << i << "\n" << d.arch << d.model;
    EXPECT_LE(four, within_tie(two)) << "seed " << seed << ", draw " << i << "\n" << d.arch << d.model;
    EXPECT_LE(six, within_tie(three)) << "seed " << seed << ", draw " << i << "\n" << d.arch << d.model;
  }
}

// Larger GEMMs again: a design with twice the scratchpad (1 -> 2 -> ... -> 32 KiB) runs every candidate the
// smaller one runs, so its choice is never slower alone (beyond the tie band). Seeds 5 (draw 3: 59,858 cycles
// at 2 KiB, 59,938 at 8, 60,381 at 16) and 17 (draw 3: 116,943 at 4 KiB, 119,218 at 16) failed while the op
// timer selected from its own design's space alone.
void more_scratchpad_never_slower(std::uint32_t seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 6; ++i) {
    const TimedDraw d = larger_draw(rng);
    u64 before = ~u64{0};
    for (int kib = 1; kib <= 32; kib *= 2) {
      const u64 t = chosen_time(d, i, {"arch.sram.kib=" + std::to_string(kib)});
      EXPECT_LE(t, within_tie(before)) << "seed " << seed << ", draw " << i << ", " << kib << " KiB\n" << d.arch << d.model;
      before = t;
    }
  }
}

// The floor holds on the shipped designs' own matmuls too: batched attention, K splits, large tiles, every
// dataflow; each distinct problem's candidates (up to 12 of them) are run alone.
TEST(TimedChoice, FloorNeverExceedsTheEngineOnShippedOps) {
  const std::pair<const char*, const char*> cases[] = {
      {"edge_npu.yaml", "bert-base.yaml"}, {"tpuv1.yaml", "vit-base.yaml"}, {"datacenter.yaml", "llama-3-8b-decode.yaml"}};
  for (const auto& [arch_file, model_file] : cases) {
    const ArchSpec arch = load_arch(test::arch_config(arch_file));
    const ModelSpec model = load_model(test::model_config(model_file));
    const OpGraph graph = lower(model);
    ProgramBuilder context(arch, model, graph);
    std::set<GemmProblemKey> seen;
    int checked = 0;
    for (std::size_t j = 0; j < graph.ops.size(); ++j) {
      if (!is_matmul(graph.ops[j].kind)) continue;
      context.m_op = static_cast<int>(j);
      const GemmProblem p = context.gemm_problem(graph.ops[j]);
      if (!seen.insert(gemm_problem_key(p)).second) continue;
      const std::vector<SplitOption> options = gemm_split_options(arch, p, 2);
      for (std::size_t i = 0; i < options.size() && i < 12; ++i) {
        const GemmSplit& split = options[i].split;
        if (matmul_command_bound(p, split) > 20'000) continue;
        const u64 cycles = run_events(arch, program_alone(context, graph.ops[j], p, split)).cycles;
        EXPECT_LE(time_alone_floor(arch, p, split), cycles) << arch_file << " " << model_file << " " << graph.ops[j].name;
        ++checked;
      }
    }
    EXPECT_GT(checked, 10) << arch_file << " " << model_file;
  }
}

TEST(TimedChoice, MoreCoresNeverSlowerAlone) {
  const std::uint32_t fresh = std::random_device{}();
  SCOPED_TRACE("fresh seed " + std::to_string(fresh));
  for (std::uint32_t seed : {3u, 11u, 1550656668u, fresh}) more_cores_never_slower(seed);
}

TEST(TimedChoice, MoreScratchpadNeverSlowerAlone) {
  const std::uint32_t fresh = std::random_device{}();
  SCOPED_TRACE("fresh seed " + std::to_string(fresh));
  for (std::uint32_t seed : {5u, 17u, fresh}) more_scratchpad_never_slower(seed);
}

TEST(TimedChoice, SiblingsFastestOfTheWholeSpaceTogether) {
  const std::uint32_t fresh = std::random_device{}();
  SCOPED_TRACE("fresh seed " + std::to_string(fresh));
  for (std::uint32_t seed : {2u, 13u, fresh}) run_sibling_seed(seed);
}

// Siblings on shipped models: BERT's Q, K and V projections are one group of three and its output
// projection stands alone (it reads attention); Llama-3's K and V projections (GQA: 1,024 columns each)
// are a group of two beside Q (4,096 columns), and so are the FFN's up and gate, but not down.
TEST(TimedChoice, SiblingGroupsOfShippedModels) {
  const ArchSpec arch = load_arch(test::arch_config("datacenter.yaml"));
  auto groups = [&](const char* model_file) {
    const ModelSpec model = load_model(test::model_config(model_file));
    const OpGraph graph = lower(model);
    ProgramBuilder context(arch, model, graph);
    std::map<std::string, int> out;
    for (std::size_t j = 0; j < graph.ops.size(); ++j)
      if (graph.ops[j].layer == 0 && is_matmul(graph.ops[j].kind))
        out[graph.ops[j].name.substr(graph.ops[j].name.find('.') + 1)] = context.sibling_count(static_cast<int>(j));
    return out;
  };
  const std::map<std::string, int> bert = groups("bert-base.yaml");
  EXPECT_EQ(bert.at("attn.q_proj"), 3);
  EXPECT_EQ(bert.at("attn.k_proj"), 2);  // counted from K on: K and V
  EXPECT_EQ(bert.at("attn.o_proj"), 1);
  EXPECT_EQ(bert.at("ffn.up"), 1);
  EXPECT_EQ(bert.at("attn.qk"), 1);
  const std::map<std::string, int> llama = groups("llama-3-8b-decode.yaml");
  EXPECT_EQ(llama.at("attn.q_proj"), 1);
  EXPECT_EQ(llama.at("attn.k_proj"), 2);
  EXPECT_EQ(llama.at("ffn.up"), 2);
  EXPECT_EQ(llama.at("ffn.gate"), 1);  // counted from gate on: the activation follows
  EXPECT_EQ(llama.at("ffn.down"), 1);
  // A chip of one core runs siblings one after another: each is chosen alone.
  const ArchSpec one = load_arch(test::arch_config("edge_npu.yaml"));
  ASSERT_EQ(one.cores, 1);
  const ModelSpec bert_model = load_model(test::model_config("bert-base.yaml"));
  const OpGraph bert_graph = lower(bert_model);
  const ProgramBuilder single(one, bert_model, bert_graph);
  for (std::size_t j = 0; j < bert_graph.ops.size(); ++j) {
    if (is_matmul(bert_graph.ops[j].kind)) {
      EXPECT_EQ(single.sibling_count(static_cast<int>(j)), 1) << bert_graph.ops[j].name;
    }
  }
}

TEST(TimedChoice, FastestOfTheWholeSpaceOnRegressionSeeds) {
  for (std::uint32_t seed : {1u, 7u, 2026u}) run_seed(seed);
}

TEST(TimedChoice, FastestOfTheWholeSpaceOnAFreshSeed) {
  const std::uint32_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  run_seed(seed);
}

}  // namespace
}  // namespace catsim
