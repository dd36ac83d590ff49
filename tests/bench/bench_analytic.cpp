// Speed of the closed-form estimators (sim/analytic) in-process, against the goal: at least 100x
// faster than the cycle-level run of the same design. The cycle-level run is timed first, in a child
// (SystemC elaborates once per process); the analytic case's target is that time / 100. Each estimate also
// runs in a child (timed inside it), so the benchmark process stays small for the cases forked after it.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "arch/arch_parser.h"
#include "sim/analytic/estimator.h"
#include "sim/analytic/layer_sample.h"
#include "sim/compile/compiler.h"
#include "sim/run/fork_runner.h"
#include "tests/bench/bench_case.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

constexpr double kSpeedupGoal = 100;                // the goal: analytic >= 100x faster

// Seconds of one in-process cycle-level run (lower + compile + simulate + assemble), measured in a child.
double cycle_level_seconds(const ArchSpec& arch, const ModelSpec& model, std::string& error) {
  const ChildOutcome o = run_in_child(
      [&] {
        StageSeconds s;
        run_simulation(arch, model, &s);
        std::ostringstream out;
        out.precision(17);
        out << s.lower + s.compile + s.simulate + s.assemble;
        return out.str();
      },
      kBenchChildTimeoutS);
  if (!o.ok) error = o.error;
  return o.ok ? std::stod(o.payload) : 0;
}

// Seconds the mapper takes for every sampled matmul (choose_gemm_split on each plan's problem; the estimator
// maps each distinct problem once): what any estimator on the compiler's own choices starts from.
double mapper_seconds(const ArchSpec& arch, const ModelSpec& model) {
  const LayerSample sample = sample_layers(lower(model));
  const Program p = compile(arch, model, sample.graph);
  const auto start = std::chrono::steady_clock::now();
  for (const OpPlan& plan : p.ops)
    if (!plan.cores.empty()) benchmark::DoNotOptimize(choose_gemm_split(arch, plan.gemm));
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_Analytic(benchmark::State& state, const std::string& arch_name, const std::string& model_name,
                 Estimator estimator) {
  ArchSpec arch;
  ModelSpec model;
  if (!load_shipped_case(state, arch_name, model_name, arch, model)) return;
  std::string error;
  const double cycle_s = cycle_level_seconds(arch, model, error);
  if (!error.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  double total_s = 0, compile_s = 0, rss_kib = 0;
  std::uint64_t cycles = 0;
  int runs = 0;
  for (auto _ : state) {
    const ChildOutcome o = run_in_child(
        [&] {
          // Timed warm, as one in a series of estimates in one process: the first run only touches the
          // pages the child inherited at fork.
          benchmark::DoNotOptimize(estimate_model(arch, model, estimator));
          const auto start = std::chrono::steady_clock::now();
          StageSeconds s;
          const SimulationResult r = estimate_model(arch, model, estimator, &s);
          const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          std::ostringstream out;
          out.precision(17);
          out << wall << ' ' << s.compile << ' ' << r.cycles;
          return out.str();
        },
        kBenchChildTimeoutS);
    if (!o.ok) {
      state.SkipWithError(o.error.c_str());
      return;
    }
    double wall = 0, compile = 0;
    std::istringstream in(o.payload);
    in >> wall >> compile >> cycles;
    state.SetIterationTime(wall);
    total_s += wall, compile_s += compile, ++runs;
    rss_kib = std::max(rss_kib, static_cast<double>(o.max_rss_kib));
  }
  const double per_run_s = runs ? total_s / runs : 0;
  state.counters["cycles"] = static_cast<double>(cycles);
  state.counters["cycle_level_ms"] = cycle_s * 1e3;
  state.counters["tally_ms"] = runs ? compile_s / runs * 1e3 : 0;
  const ChildOutcome mapper = run_in_child(
      [&] {
        std::ostringstream out;
        out.precision(17);
        out << mapper_seconds(arch, model);
        return out.str();
      },
      kBenchChildTimeoutS);
  state.counters["mapper_ms"] = mapper.ok ? std::stod(mapper.payload) * 1e3 : 0;
  state.counters["speedup"] = per_run_s > 0 ? cycle_s / per_run_s : 0;
  state.counters["target_ms"] = cycle_s * 1e3 / kSpeedupGoal;
  state.counters["peak_rss_mib"] = rss_kib / 1024;  // the children's peak (includes pages inherited at fork)
  state.counters["rss_limit_mib"] = kBenchRssLimitMib;
}

BENCHMARK_CAPTURE(BM_Analytic, analytic_bert_base_edge_npu, "edge_npu", "bert-base", Estimator::roofline)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20);
BENCHMARK_CAPTURE(BM_Analytic, analytic_llama2_7b_prefill2048_datacenter, "datacenter", "llama-2-7b-prefill",
                  Estimator::roofline)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

}  // namespace
}  // namespace catsim
