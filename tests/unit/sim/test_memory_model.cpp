// The memory model's pieces: max-min fair rates (no SystemC), and the trace's DRAM counter and op track
// computed from a real run (each SystemC TEST in its own process).

#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "arch/arch_parser.h"
#include "sim/memory/flow_solver.h"
#include "sim/run/simulation.h"
#include "sim/trace/chrome_trace.h"
#include "tests/support/paths.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

TEST(FlowSolver, EqualSharesOfOneResource) {
  FlowSolver s({12.0});
  std::vector<ResourceUse> u = {{0, 1.0}};
  std::vector<double> rates;
  s.solve({{&u}, {&u}, {&u}}, rates);
  for (double r : rates) EXPECT_DOUBLE_EQ(r, 4.0);  // 12 / 3
}

TEST(FlowSolver, CappedFlowLeavesItsShareToOthers) {
  FlowSolver s({12.0});
  std::vector<ResourceUse> u = {{0, 1.0}};
  std::vector<double> rates;
  s.solve({{&u, 2.0}, {&u}, {&u}}, rates);
  EXPECT_DOUBLE_EQ(rates[0], 2.0);  // its cap
  EXPECT_DOUBLE_EQ(rates[1], 5.0);  // (12 - 2) / 2
  EXPECT_DOUBLE_EQ(rates[2], 5.0);
}

TEST(FlowSolver, MaxMinAcrossTwoResources) {
  // flow 0 uses resources 0 (cap 4) and 1 (cap 10); flow 1 uses only 1: flow 0 saturates 0 at 4, flow 1
  // gets the rest of 1: 10 - 4 = 6. A weight scales a flow's load: flow 2 loads 1 with weight 2.
  FlowSolver s({4.0, 10.0});
  std::vector<ResourceUse> a = {{0, 1.0}, {1, 1.0}}, b = {{1, 1.0}};
  std::vector<double> rates;
  s.solve({{&a}, {&b}}, rates);
  EXPECT_DOUBLE_EQ(rates[0], 4.0);
  EXPECT_DOUBLE_EQ(rates[1], 6.0);
  std::vector<ResourceUse> c = {{1, 2.0}};
  s.solve({{&b}, {&c}}, rates);  // both rise to x with x + 2x = 10
  EXPECT_DOUBLE_EQ(rates[0], 10.0 / 3);
  EXPECT_DOUBLE_EQ(rates[1], 10.0 / 3);
}

// Runs `model` on `arch`, writes its trace and checks the DRAM counter and the op track.
void check_trace(const std::string& arch_file, const std::string& model_file) {
  const ArchSpec arch = load_arch(test::arch_config(arch_file));
  const SimulationResult r = run_simulation(arch, load_model(test::model_config(model_file)));
  const std::string path = ::testing::TempDir() + "catsim_trace_" + arch_file + ".json";
  write_chrome_trace(r, path);  // throws WriteError on failure
  nlohmann::json trace;
  std::ifstream(path) >> trace;

  // The DRAM process: named, with a non-negative pid, its counter never above peak (to rounding).
  int dram_pid = -1;
  for (const auto& e : trace["traceEvents"])
    if (e["ph"] == "M" && e["name"] == "process_name" &&
        e["args"]["name"].get<std::string>().rfind("DRAM", 0) == 0)
      dram_pid = e["pid"];
  ASSERT_GE(dram_pid, 0);
  double max_gbps = 0, sum_bytes = 0;
  int counters = 0;
  for (const auto& e : trace["traceEvents"])
    if (e["ph"] == "C" && e["pid"] == dram_pid)
      max_gbps = std::max(max_gbps, e["args"]["GB/s"].get<double>()), ++counters;
  EXPECT_GT(counters, 0);
  EXPECT_LE(max_gbps, arch.dram.bandwidth_gbps * (1 + 1e-9));
  EXPECT_GT(max_gbps, 0.5 * arch.dram.bandwidth_gbps);  // the runs below are memory-bound for stretches
  // The service intervals account for every DRAM byte moved.
  for (const ServiceSegment& s : r.dram_service) sum_bytes += s.bytes;
  const double moved = static_cast<double>(r.counts.dram_read_bytes + r.counts.dram_write_bytes);
  EXPECT_NEAR(sum_bytes, moved, 1e-9 * moved);

  // The op track: one slice per op that has commands, from its first command's start to its last's end,
  // and no two slices overlap on one lane.
  std::vector<std::uint64_t> first(r.ops.size(), std::numeric_limits<std::uint64_t>::max()),
      last(r.ops.size(), 0);
  for (std::size_t id = 0; id < r.program.commands.size(); ++id) {
    const auto op = static_cast<std::size_t>(r.program.commands[id].op);
    first[op] = std::min(first[op], r.times.start[id]);
    last[op] = std::max(last[op], r.times.end[id]);
  }
  std::map<int, std::vector<std::pair<double, double>>> lanes;
  std::size_t slices = 0;
  const double us = 1.0 / arch.clock_mhz;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] != "X" || e["cat"] != "op") continue;
    EXPECT_EQ(e["pid"].get<int>(), r.program.cores);
    const auto op = e["args"]["op"].get<std::size_t>();
    EXPECT_DOUBLE_EQ(e["ts"].get<double>(), static_cast<double>(first[op]) * us);
    EXPECT_DOUBLE_EQ(e["dur"].get<double>(), static_cast<double>(last[op] - first[op]) * us);
    lanes[e["tid"].get<int>()].push_back(
        {e["ts"].get<double>(), e["ts"].get<double>() + e["dur"].get<double>()});
    ++slices;
  }
  std::size_t ops_with_commands = 0;
  for (std::size_t i = 0; i < r.ops.size(); ++i)
    ops_with_commands += first[i] != std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(slices, ops_with_commands);
  for (auto& [lane, spans] : lanes) {
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i)
      EXPECT_LE(spans[i - 1].second, spans[i].first + 1e-9) << lane;
  }
}

// The case: the old counter spread bytes over queueing time and peaked at 19 GB/s on 12.8 GB/s.
TEST(ChromeTrace, DramCounterNeverAbovePeakEdgeNpu) {
  check_trace("edge_npu.yaml", "bert-base.yaml");
}

// Two cores sharing two DRAM channels and a global buffer.
TEST(ChromeTrace, DramCounterNeverAbovePeakTwoCores) {
  check_trace("catransformers_baseline.yaml", "bert-base.yaml");
}

}  // namespace
}  // namespace catsim
