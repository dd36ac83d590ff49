#include "sim/trace/chrome_trace.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

namespace catsim {
namespace {

using nlohmann::json;

// DRAM bandwidth per window, from the intervals in which DRAM actually served bytes (each at a constant
// rate no higher than peak, so no window exceeds peak).
std::vector<double> dram_gbps(const SimulationResult& r, std::uint64_t window, double us_per_cycle) {
  std::vector<double> bytes(r.makespan_cycles / window + 1, 0.0);
  for (const ServiceSegment& s : r.dram_service) {
    if (s.end <= s.start) continue;
    const double per_cycle = s.bytes / static_cast<double>(s.end - s.start);
    for (std::uint64_t w = s.start / window; w <= (s.end - 1) / window && w < bytes.size(); ++w) {
      const std::uint64_t lo = std::max(s.start, w * window), hi = std::min(s.end, (w + 1) * window);
      bytes[w] += per_cycle * static_cast<double>(hi - lo);
    }
  }
  for (auto& b : bytes) b = b / (static_cast<double>(window) * us_per_cycle * 1e3);  // bytes per ns = GB/s
  return bytes;
}

std::string fmt_gbps(double gbps) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", gbps);
  return buf;
}

// One slice per op, from its first command's start to its last command's end; ops that overlap in time
// go to separate lanes (threads) so that slices nest correctly.
void op_track(const SimulationResult& r, int pid, double us_per_cycle, json& events) {
  struct Span {
    std::uint64_t start = std::numeric_limits<std::uint64_t>::max(), end = 0;
  };
  std::vector<Span> spans(r.ops.size());
  for (std::size_t id = 0; id < r.program.commands.size(); ++id) {
    Span& s = spans[static_cast<std::size_t>(r.program.commands[id].op)];
    s.start = std::min(s.start, r.times.start[id]);
    s.end = std::max(s.end, r.times.end[id]);
  }
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < spans.size(); ++i)
    if (spans[i].end >= spans[i].start && spans[i].start != std::numeric_limits<std::uint64_t>::max())
      order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return spans[a].start < spans[b].start; });
  std::vector<std::uint64_t> lane_end;  // end of the last op on each lane
  for (std::size_t i : order) {
    std::size_t lane = 0;
    while (lane < lane_end.size() && lane_end[lane] > spans[i].start) ++lane;
    if (lane == lane_end.size()) lane_end.push_back(0);
    lane_end[lane] = spans[i].end;
    events.push_back({{"name", r.ops[i].name},
                      {"cat", "op"},
                      {"ph", "X"},
                      {"ts", static_cast<double>(spans[i].start) * us_per_cycle},
                      {"dur", static_cast<double>(spans[i].end - spans[i].start) * us_per_cycle},
                      {"pid", pid},
                      {"tid", static_cast<int>(lane)},
                      {"args", {{"op", i}, {"kind", r.ops[i].kind}}}});
  }
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"args", {{"name", "ops"}}}});
  for (std::size_t lane = 0; lane < lane_end.size(); ++lane)
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", pid},
                      {"tid", static_cast<int>(lane)},
                      {"args", {{"name", "ops " + std::to_string(lane)}}}});
}

}  // namespace

bool write_chrome_trace(const SimulationResult& r, const std::string& path) {
  const double us_per_cycle = 1.0 / r.clock_mhz;
  json events = json::array();
  std::map<int, bool> cores;
  for (std::size_t id = 0; id < r.program.commands.size(); ++id) {
    const Command& c = r.program.commands[id];
    cores[c.core] = true;
    const std::uint64_t s = r.times.start[id], e = r.times.end[id];
    json args = {{"op", r.ops[c.op].name}, {"command", id}};
    if (is_dma(c.unit))
      args["bytes"] = c.dram_bytes, args["memory"] = c.memory == MemoryTarget::dram ? "dram" : "global";
    if (c.unit == UnitKind::array) args["macs"] = c.macs;
    events.push_back({{"name", r.ops[c.op].name},
                      {"cat", name_of(c.unit)},
                      {"ph", "X"},
                      {"ts", static_cast<double>(s) * us_per_cycle},
                      {"dur", static_cast<double>(e - s) * us_per_cycle},
                      {"pid", c.core},
                      {"tid", static_cast<int>(c.unit)},
                      {"args", args}});
  }
  for (const auto& [core, _] : cores) {
    events.push_back({{"name", "process_name"},
                      {"ph", "M"},
                      {"pid", core},
                      {"args", {{"name", "core " + std::to_string(core)}}}});
    for (int u = 0; u < kUnitKinds; ++u)
      events.push_back({{"name", "thread_name"},
                        {"ph", "M"},
                        {"pid", core},
                        {"tid", u},
                        {"args", {{"name", std::string(name_of(static_cast<UnitKind>(u)))}}}});
  }
  // Processes after the cores: the op track, then DRAM.
  const int ops_pid = r.program.cores, dram_pid = r.program.cores + 1;
  op_track(r, ops_pid, us_per_cycle, events);
  events.push_back({{"name", "process_name"},
                    {"ph", "M"},
                    {"pid", dram_pid},
                    {"args", {{"name", "DRAM (peak " + fmt_gbps(r.dram_peak_gbps) + " GB/s)"}}}});
  const std::uint64_t window = std::max<std::uint64_t>(1, r.makespan_cycles / 2000);
  auto gbps = dram_gbps(r, window, us_per_cycle);
  for (std::size_t w = 0; w < gbps.size(); ++w)
    events.push_back({{"name", "DRAM bandwidth"},
                      {"ph", "C"},
                      {"pid", dram_pid},
                      {"ts", static_cast<double>(w * window) * us_per_cycle},
                      {"args", {{"GB/s", gbps[w]}}}});
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    if (!out) return false;
    out << json{{"traceEvents", events}, {"displayTimeUnit", "ns"}}.dump();
    if (!out) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace catsim
