#include "sim/trace/chrome_trace.h"

#include "arch/io/atomic_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

namespace catsim {
namespace {

using nlohmann::json;

// Writes trace events one by one as a JSON array, so that no event list is held in memory (a large
// model's trace would otherwise take gigabytes).
class EventStream {
 public:
  explicit EventStream(std::ostream& out) : m_out(out) { m_out << "{\"traceEvents\":[\n"; }
  void add(const nlohmann::json& event) {
    m_out << (m_first ? "" : ",\n") << event.dump();
    m_first = false;
  }
  bool finish() {
    m_out << "\n],\"displayTimeUnit\":\"ns\"}\n";
    m_out.flush();
    return static_cast<bool>(m_out);
  }

 private:
  std::ostream& m_out;
  bool m_first = true;
};

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
template <class Events>
void op_track(const SimulationResult& r, int pid, double us_per_cycle, const TraceFilter& filter, Events& events) {
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
    if (!filter.keeps_span(spans[i].start, spans[i].end) || !filter.keeps_op(r.ops[i].name)) continue;
    std::size_t lane = 0;
    while (lane < lane_end.size() && lane_end[lane] > spans[i].start) ++lane;
    if (lane == lane_end.size()) lane_end.push_back(0);
    lane_end[lane] = spans[i].end;
    events.add({{"name", r.ops[i].name},
                      {"cat", "op"},
                      {"ph", "X"},
                      {"ts", static_cast<double>(spans[i].start) * us_per_cycle},
                      {"dur", static_cast<double>(spans[i].end - spans[i].start) * us_per_cycle},
                      {"pid", pid},
                      {"tid", static_cast<int>(lane)},
                      {"args", {{"op", i}, {"kind", r.ops[i].kind}}}});
  }
  events.add({{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"args", {{"name", "ops"}}}});
  for (std::size_t lane = 0; lane < lane_end.size(); ++lane)
    events.add({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", pid},
                      {"tid", static_cast<int>(lane)},
                      {"args", {{"name", "ops " + std::to_string(lane)}}}});
}

// (1) a slice per kept command, (2) track names of the cores seen, (3) DRAM bandwidth samples in the window.
bool stream_events(const SimulationResult& r, const TraceFilter& filter, std::ostream& out) {
  const double us_per_cycle = 1.0 / r.clock_mhz;
  EventStream events(out);
  std::map<int, bool> cores;
  for (std::size_t id = 0; id < r.program.commands.size(); ++id) {
    const Command& c = r.program.commands[id];
    const std::uint64_t s = r.times.start[id], e = r.times.end[id];
    if (!filter.keeps_span(s, e) || !filter.keeps_op(r.ops[c.op].name)) continue;
    cores[c.core] = true;
    json args = {{"op", r.ops[c.op].name}, {"command", id}};
    if (is_dma(c.unit)) args["bytes"] = c.dram_bytes, args["memory"] = c.memory == MemoryTarget::dram ? "dram" : "global";
    if (c.unit == UnitKind::array) args["macs"] = c.macs;
    events.add({{"name", r.ops[c.op].name}, {"cat", name_of(c.unit)}, {"ph", "X"},
                {"ts", static_cast<double>(s) * us_per_cycle}, {"dur", static_cast<double>(e - s) * us_per_cycle},
                {"pid", c.core}, {"tid", static_cast<int>(c.unit)}, {"args", args}});
  }
  for (const auto& [core, _] : cores) {
    events.add({{"name", "process_name"}, {"ph", "M"}, {"pid", core}, {"args", {{"name", "core " + std::to_string(core)}}}});
    for (int u = 0; u < kUnitKinds; ++u)
      events.add({{"name", "thread_name"}, {"ph", "M"}, {"pid", core}, {"tid", u},
                  {"args", {{"name", std::string(name_of(static_cast<UnitKind>(u)))}}}});
  }
  // Processes after the cores: the op track, then DRAM.
  const int ops_pid = r.program.cores, dram_pid = r.program.cores + 1;
  op_track(r, ops_pid, us_per_cycle, filter, events);
  events.add({{"name", "process_name"}, {"ph", "M"}, {"pid", dram_pid},
              {"args", {{"name", "DRAM (peak " + fmt_gbps(r.dram_peak_gbps) + " GB/s)"}}}});
  const std::uint64_t window = std::max<std::uint64_t>(1, r.makespan_cycles / 2000);
  auto gbps = dram_gbps(r, window, us_per_cycle);
  for (std::size_t w = 0; w < gbps.size(); ++w)
    if (filter.keeps_span(w * window, (w + 1) * window))
      events.add({{"name", "DRAM bandwidth"}, {"ph", "C"}, {"pid", dram_pid},
                  {"ts", static_cast<double>(w * window) * us_per_cycle}, {"args", {{"GB/s", gbps[w]}}}});
  return events.finish();
}

}  // namespace

void write_chrome_trace(const SimulationResult& r, const std::string& path, const TraceFilter& filter) {
  if (path == "-") {
    if (!stream_events(r, filter, std::cout))
      throw WriteError(std::string("standard output: cannot write: ") + std::strerror(errno));
    return;
  }
  const std::string tmp = temporary_path_beside(path);
  bool ok = false;
  int error = 0;
  {
    std::ofstream out(tmp);
    ok = out && stream_events(r, filter, out);
    if (ok) out.close();  // the last buffer is written here: its failure counts too
    ok = ok && !out.fail();
    error = errno;
  }
  if (!ok) {
    std::remove(tmp.c_str());
    throw WriteError(path + ": cannot write: " + std::strerror(error));
  }
  commit_temporary(tmp, path);
}

}  // namespace catsim
