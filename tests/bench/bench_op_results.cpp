// Cost of copying a run's per-op results (std::vector<OpResult>), the part of assembling a result that a
// closed-form estimator cannot avoid: it must stay far below the estimate itself. Timed in-process on
// BERT-base (174 ops) on edge_npu, from a roofline estimate (no SystemC, so no child process is needed).

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "sim/analytic/estimator.h"
#include "tests/bench/bench_case.h"

namespace catsim {
namespace {

constexpr double kTargetMs = 0.02;                  // 20 us per copy of BERT-base's ops

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024;  // ru_maxrss is in KiB on Linux
}

void BM_CopyOpResults(benchmark::State& state, const std::string& arch_name, const std::string& model_name) {
  ArchSpec arch;
  ModelSpec model;
  if (!load_shipped_case(state, arch_name, model_name, arch, model)) return;
  const SimulationResult r = estimate_model(arch, model, Estimator::roofline);
  for (auto _ : state) {
    std::vector<OpResult> copy = r.ops;
    benchmark::DoNotOptimize(copy.data());
    benchmark::ClobberMemory();
  }
  state.counters["ops"] = static_cast<double>(r.ops.size());
  state.counters["cycles"] = static_cast<double>(r.cycles);
  state.counters["target_ms"] = kTargetMs;
  state.counters["peak_rss_mib"] = peak_rss_mib();
  state.counters["rss_limit_mib"] = kBenchRssLimitMib;
}

BENCHMARK_CAPTURE(BM_CopyOpResults, copy_op_results_bert_base_edge_npu, "edge_npu", "bert-base")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace catsim
