#include "sim/run/result_json.h"

#include <fmt/format.h>

#include <algorithm>

namespace catsim {

// The DRAM model's summary: achieved against peak bandwidth over the run; under banked, the part, its row
// activations and refreshes, and the share of bursts that found their row open.
nlohmann::json dram_json(const SimulationResult& r) {
  const EventCounts& c = r.counts;
  const double bytes = static_cast<double>(c.dram_read_bytes + c.dram_write_bytes);
  nlohmann::json d = {{"model", name_of(r.dram_model)},
                      {"peak_gbps", r.dram_peak_gbps},
                      {"achieved_gbps", r.latency_s > 0 ? bytes / r.latency_s / 1e9 : 0.0}};
  if (r.dram_model != DramModel::banked) return d;
  const double bursts = r.dram_part_burst_bytes ? bytes / static_cast<double>(r.dram_part_burst_bytes) : 0;
  d["part"] = r.dram_part;
  d["activations"] = c.dram_activates;
  d["refreshes"] = c.dram_refreshes;
  d["open_share"] = c.cycles > 0 ? std::min(1.0, static_cast<double>(c.dram_open_cycles) / static_cast<double>(c.cycles)) : 0.0;
  if (r.fidelity == "cycle")  // an analytic estimate counts no activations
    d["row_hit_rate"] = bursts > 0 ? std::clamp(1 - static_cast<double>(c.dram_activates) / bursts, 0.0, 1.0) : 0.0;
  return d;
}

nlohmann::json to_json(const SimulationResult& r) {
  using nlohmann::json;
  json ops = json::array();
  for (const auto& o : r.ops)
    ops.push_back({{"name", o.name},
                   {"kind", o.kind},
                   {"shape", o.shape},
                   {"cycles", o.cycles},
                   {"start_cycle", o.start_cycle},
                   {"end_cycle", o.end_cycle},
                   {"bound", name_of(o.bound)},
                   {"macs", o.macs},
                   {"compute_precision", o.macs ? json(name_of(o.compute)) : json(nullptr)},
                   {"array_utilization", o.utilization},
                   {"dram_bytes", o.dram_bytes},
                   {"dram_read_bytes", o.dram_read_bytes},
                   {"dram_write_bytes", o.dram_write_bytes},
                   {"compulsory_dram_bytes", o.compulsory_dram_bytes},
                   {"global_buffer_bytes", o.global_bytes},
                   {"busy_cycles", {{"array", o.array_busy}, {"dma", o.dma_busy}, {"vector", o.vector_busy}}},
                   {"fill_drain_cycles", o.fill_drain_cycles},
                   {"tiling", o.note}});
  json units = json::array();
  for (const auto& u : r.units)
    units.push_back({{"core", u.core}, {"unit", name_of(u.unit)}, {"busy_cycles", u.busy_cycles},
                     {"commands", u.commands},
                     {"utilization", r.makespan_cycles ? double(u.busy_cycles) / double(r.makespan_cycles) : 0.0}});
  const EventCounts& c = r.counts;
  json stats = {
      {"macs", {{"value", c.macs.total()}, {"unit", "MAC"}}},
      {"macs_by_precision", {{"value", nonzero_count_json(c.macs)}, {"unit", "MAC"}}},
      {"sram_read_bytes", {{"value", every_count_json(c.sram_read_bytes)}, {"unit", "byte"}}},
      {"sram_write_bytes", {{"value", every_count_json(c.sram_write_bytes)}, {"unit", "byte"}}},
      {"dram_read_bytes", {{"value", c.dram_read_bytes}, {"unit", "byte"}}},
      {"dram_write_bytes", {{"value", c.dram_write_bytes}, {"unit", "byte"}}},
      {"dram_activates", {{"value", c.dram_activates}, {"unit", "activation (banked DRAM)"}}},
      {"dram_refreshes", {{"value", c.dram_refreshes}, {"unit", "all-bank refresh (banked DRAM)"}}},
      {"dram_open_cycles", {{"value", c.dram_open_cycles}, {"unit", "cycle with a DRAM row open (banked DRAM)"}}},
      {"vector_ops", {{"value", nonzero_count_json(c.vector_ops)}, {"unit", "element op"}}},
      {"dma_transfers", {{"value", c.dma_transfers}, {"unit", "command"}}},
      {"array_busy_cycles", {{"value", c.array_busy_cycles}, {"unit", "cycle (summed over cores)"}}},
      {"vector_busy_cycles", {{"value", c.vector_busy_cycles}, {"unit", "cycle (summed over cores)"}}},
      {"array_port_stall_cycles", {{"value", r.array_port_stall_cycles}, {"unit", "cycle (summed over cores)"}}},
      {"commands", {{"value", r.program.commands.size()}, {"unit", "tile command"}}}};
  return {{"arch", r.arch_name},
          {"model", r.model_name},
          {"clock_mhz", r.clock_mhz},
          {"timing", name_of(r.timing)},
          {"fidelity", r.fidelity},
          {"cycles", r.cycles},
          {"makespan_cycles", r.makespan_cycles},
          {"latency_s", r.latency_s},
          {"array_utilization", r.array_utilization},
          {"ops", ops},
          {"units", units},
          {"stats", stats},
          {"dram", dram_json(r)}};
}

std::string ops_csv(const SimulationResult& r) {
  std::string s = "name,kind,shape,cycles,start_cycle,end_cycle,bound,macs,array_utilization,dram_bytes,"
                  "dram_read_bytes,dram_write_bytes,compulsory_dram_bytes\n";
  for (const auto& o : r.ops)
    s += fmt::format("{},{},\"{}\",{},{},{},{},{},{:.4f},{},{},{},{}\n", o.name, o.kind, o.shape, o.cycles,
                     o.start_cycle, o.end_cycle, name_of(o.bound), o.macs, o.utilization, o.dram_bytes,
                     o.dram_read_bytes, o.dram_write_bytes, o.compulsory_dram_bytes);
  return s;
}

}  // namespace catsim
