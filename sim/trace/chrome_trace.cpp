#include "sim/trace/chrome_trace.h"

#include "arch/io/atomic_file.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

namespace catsim {
namespace {

// DRAM bandwidth sampled per window: bytes of DMA commands spread evenly over their duration.
std::vector<double> dram_gbps(const SimulationResult& r, std::uint64_t window, double us_per_cycle) {
  std::vector<double> bytes(r.makespan_cycles / window + 1, 0.0);
  for (std::size_t id = 0; id < r.program.commands.size(); ++id) {
    const Command& c = r.program.commands[id];
    if (!is_dma(c.unit) || c.memory != MemoryTarget::dram || c.dram_bytes == 0) continue;
    const std::uint64_t s = r.times.start[id], e = std::max(r.times.end[id], s + 1);
    const double per_cycle = static_cast<double>(c.dram_bytes) / static_cast<double>(e - s);
    for (std::uint64_t w = s / window; w <= (e - 1) / window; ++w) {
      const std::uint64_t lo = std::max(s, w * window), hi = std::min(e, (w + 1) * window);
      bytes[w] += per_cycle * static_cast<double>(hi - lo);
    }
  }
  for (auto& b : bytes) b = b / (static_cast<double>(window) * us_per_cycle * 1e3);  // bytes per ns = GB/s
  return bytes;
}

}  // namespace

void write_chrome_trace(const SimulationResult& r, const std::string& path) {
  using nlohmann::json;
  const double us_per_cycle = 1.0 / r.clock_mhz;
  json events = json::array();
  std::map<int, bool> cores;
  for (std::size_t id = 0; id < r.program.commands.size(); ++id) {
    const Command& c = r.program.commands[id];
    cores[c.core] = true;
    const std::uint64_t s = r.times.start[id], e = r.times.end[id];
    json args = {{"op", r.ops[c.op].name}, {"command", id}};
    if (is_dma(c.unit)) args["bytes"] = c.dram_bytes, args["memory"] = c.memory == MemoryTarget::dram ? "dram" : "global";
    if (c.unit == UnitKind::array) args["macs"] = c.macs;
    events.push_back({{"name", r.ops[c.op].name}, {"cat", name_of(c.unit)}, {"ph", "X"},
                      {"ts", static_cast<double>(s) * us_per_cycle}, {"dur", static_cast<double>(e - s) * us_per_cycle},
                      {"pid", c.core}, {"tid", static_cast<int>(c.unit)}, {"args", args}});
  }
  for (const auto& [core, _] : cores) {
    events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", core}, {"args", {{"name", "core " + std::to_string(core)}}}});
    for (int u = 0; u < kUnitKinds; ++u)
      events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", core}, {"tid", u},
                        {"args", {{"name", std::string(name_of(static_cast<UnitKind>(u)))}}}});
  }
  const std::uint64_t window = std::max<std::uint64_t>(1, r.makespan_cycles / 2000);
  auto gbps = dram_gbps(r, window, us_per_cycle);
  for (std::size_t w = 0; w < gbps.size(); ++w)
    events.push_back({{"name", "DRAM bandwidth"}, {"ph", "C"}, {"pid", -1},
                      {"ts", static_cast<double>(w * window) * us_per_cycle}, {"args", {{"GB/s", gbps[w]}}}});
  write_file_atomically(path, json{{"traceEvents", events}, {"displayTimeUnit", "ns"}}.dump());
}

}  // namespace catsim
