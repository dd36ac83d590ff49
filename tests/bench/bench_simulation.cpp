// End-to-end speed of one evaluation (lower + compile + simulate + assemble) against the issue's
// targets. Each iteration is a fresh child (SystemC elaborates once per process); the child times itself.
// Run through scripts/bench, which prints the table and checks the targets.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "arch/arch_parser.h"
#include "arch/config/overrides.h"
#include "sim/run/fork_runner.h"
#include "sim/run/simulation.h"
#include "tests/bench/bench_case.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {


// What one child measured: seconds per stage and the size of the run.
struct StageTimes {
  double lower_s = 0, compile_s = 0, simulate_s = 0, assemble_s = 0;
  std::uint64_t cycles = 0, commands = 0;

  double total_s() const { return lower_s + compile_s + simulate_s + assemble_s; }
};

// In the child: one run_simulation(), with the wall time of each of its stages.
std::string timed_run(const ArchSpec& arch, const ModelSpec& model) {
  StageSeconds s;
  const SimulationResult r = run_simulation(arch, model, &s);
  StageTimes t;
  t.lower_s = s.lower;
  t.compile_s = s.compile;
  t.simulate_s = s.simulate;
  t.assemble_s = s.assemble;
  t.cycles = r.cycles;
  t.commands = r.program.commands.size();

  std::ostringstream out;
  out.precision(17);
  out << t.lower_s << ' ' << t.compile_s << ' ' << t.simulate_s << ' ' << t.assemble_s << ' ' << t.cycles
      << ' ' << t.commands;
  return out.str();
}

StageTimes parse_times(const std::string& payload) {
  StageTimes t;
  std::istringstream in(payload);
  in >> t.lower_s >> t.compile_s >> t.simulate_s >> t.assemble_s >> t.cycles >> t.commands;
  return t;
}

// Sums of the stage times over iterations, and the largest child.
struct Totals {
  StageTimes sum;
  StageTimes last;
  double child_wall_s = 0;
  double peak_rss_mib = 0;
  int runs = 0;

  void add(const StageTimes& t, const ChildOutcome& o) {
    sum.lower_s += t.lower_s, sum.compile_s += t.compile_s;
    sum.simulate_s += t.simulate_s, sum.assemble_s += t.assemble_s;
    last = t;
    child_wall_s += o.wall_s;
    peak_rss_mib = std::max(peak_rss_mib, static_cast<double>(o.max_rss_kib) / 1024);
    ++runs;
  }
};

void report(benchmark::State& state, const Totals& t, double target_ms) {
  const double per_run_ms = t.runs > 0 ? 1e3 / t.runs : 0;
  state.counters["cycles"] = static_cast<double>(t.last.cycles);
  state.counters["tile_commands"] = static_cast<double>(t.last.commands);
  state.counters["peak_rss_mib"] = t.peak_rss_mib;
  state.counters["lower_ms"] = t.sum.lower_s * per_run_ms;
  state.counters["compile_ms"] = t.sum.compile_s * per_run_ms;
  state.counters["simulate_ms"] = t.sum.simulate_s * per_run_ms;
  state.counters["assemble_ms"] = t.sum.assemble_s * per_run_ms;
  state.counters["child_wall_ms"] = t.child_wall_s * per_run_ms;  // fork to reap, for comparison
  state.counters["target_ms"] = target_ms;
  state.counters["rss_limit_mib"] = kBenchRssLimitMib;
}

// One case: arch and model are shipped config names; target_ms is the goal for one run.
void BM_Simulation(benchmark::State& state, const std::string& arch_name, const std::string& model_name,
                   double target_ms, const std::string& dram_model = "") {
  ArchSpec arch;
  ModelSpec model;
  if (!load_shipped_case(state, arch_name, model_name, arch, model, dram_model)) return;
  Totals totals;
  for (auto _ : state) {
    const ChildOutcome o = run_in_child([&] { return timed_run(arch, model); }, kBenchChildTimeoutS);
    if (!o.ok) {
      state.SkipWithError(o.error.c_str());
      break;
    }
    const StageTimes t = parse_times(o.payload);
    state.SetIterationTime(t.total_s());
    totals.add(t, o);
  }
  report(state, totals, target_ms);
}

// GEMM 128x768x768 on a 32x32 output-stationary array; SCALE-Sim v2 takes 18.6 s for it.
BENCHMARK_CAPTURE(BM_Simulation, gemm_128x768x768_edge_npu, "edge_npu", "gemm-bert-proj", 5.0)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20);
BENCHMARK_CAPTURE(BM_Simulation, bert_base_seq128_int8_edge_npu, "edge_npu", "bert-base", 200.0)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(10);
BENCHMARK_CAPTURE(BM_Simulation, llama2_7b_prefill2048_datacenter, "datacenter", "llama-2-7b-prefill", 2000.0)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(BM_Simulation, llama3_8b_decode_kv4096_datacenter, "datacenter", "llama-3-8b-decode", 100.0)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

// dram.model banked: the goal of a default is 1.5x the timed case's (issue 20); each child measures the part's
// stream mixes it needs, as a catsim process does.
BENCHMARK_CAPTURE(BM_Simulation, bert_base_seq128_int8_edge_npu_banked, "edge_npu", "bert-base", 300.0, "banked")
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(10);
BENCHMARK_CAPTURE(BM_Simulation, llama3_8b_decode_kv4096_datacenter_banked, "datacenter", "llama-3-8b-decode", 150.0,
                  "banked")
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

}  // namespace
}  // namespace catsim
