#include "api/report_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "api/format.h"
#include "sim/run/result_json.h"

namespace catsim {

std::string simulation_text(const SimulationResult& r, const std::string& header) {
  std::string s;
  const auto& c = r.counts;
  s += fmt::format("catsim      {} on {} ({} timing)\n", r.model_name, r.arch_name, name_of(r.timing));
  s += header;
  if (r.fidelity != "cycle")
    s += fmt::format("fidelity    analytic ({} estimator over the compiled tiling; not simulated)\n", r.fidelity);
  s += fmt::format("cycles      {}{}\n", with_commas(r.cycles),
                   r.timing == ArrayTiming::scalesim ? "  (SCALE-Sim convention: index of the last cycle)" : "");
  s += fmt::format("latency     {:.6g} s at {} MHz\n", r.latency_s, r.clock_mhz);
  s += fmt::format("MACs        {}  (array utilization {:.1f} %)\n", with_commas(c.macs.total()),
                   100 * r.array_utilization);
  s += fmt::format("DRAM        {} read, {} written, {} DMA commands\n", human_bytes(c.dram_read_bytes),
                   human_bytes(c.dram_write_bytes), with_commas(c.dma_transfers));
  if (r.dram_model == DramModel::banked && r.fidelity == "cycle") {
    const nlohmann::json d = dram_json(r);
    s += fmt::format("            banked {}: {:.1f} of {:.1f} GB/s over the run, row hits {:.1f} %, {} activations, {} "
                     "refreshes\n",
                     r.dram_part, d["achieved_gbps"].get<double>(), r.dram_peak_gbps,
                     100 * d["row_hit_rate"].get<double>(), with_commas(c.dram_activates), with_commas(c.dram_refreshes));
  }
  if (!r.units.empty()) s += "units       ";
  for (const auto& u : r.units)
    if (u.busy_cycles)
      s += fmt::format("core{}.{} {:.1f}%  ", u.core, name_of(u.unit),
                       100.0 * static_cast<double>(u.busy_cycles) / static_cast<double>(r.makespan_cycles));
  s += r.units.empty() ? "\n" : "\n\n";
  // fill: the share of the op's array time spent filling and draining folds (and loading stationary
  // operands a short stream does not hide), the cost a larger array adds to a short stream.
  s += fmt::format("{:<28} {:<14} {:<24} {:>12} {:>12} {:>12} {:>6} {:>6} {:<8} {:>11}\n", "op", "kind", "shape",
                   "cycles", "start", "end", "util", "fill", "bound", "DRAM");
  for (const auto& o : r.ops) {
    const std::string fill = o.array_busy ? fmt::format("{:.1f}%", 100.0 * static_cast<double>(o.fill_drain_cycles) /
                                                                       static_cast<double>(o.array_busy))
                                          : "-";
    s += fmt::format("{:<28} {:<14} {:<24} {:>12} {:>12} {:>12} {:>5.1f}% {:>6} {:<8} {:>11}\n", o.name, o.kind,
                     o.shape, with_commas(o.cycles), with_commas(o.start_cycle), with_commas(o.end_cycle),
                     100 * o.utilization, fill, name_of(o.bound), human_bytes(o.dram_bytes));
  }
  return s;
}

namespace {

// The largest entries of a breakdown, biggest first, as "name 12.3%" pairs.
std::string top_entries(const std::map<std::string, double>& parts, double total, std::size_t n) {
  std::vector<std::pair<double, std::string>> v;
  for (const auto& [k, x] : parts) v.emplace_back(x, k);
  std::sort(v.rbegin(), v.rend());
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < n; ++i)
    s += fmt::format("{}{} {:.1f}%", i ? ", " : "", v[i].second, total > 0 ? 100 * v[i].first / total : 0.0);
  return s;
}

}  // namespace

std::string energy_text(const Report& e) {
  const auto& c = e.carbon;
  std::string s = "\n";
  s += fmt::format("energy      {:.6g} J per run ({} inference{}), {:.4g} W average, {:.4g} TOPS/W\n", e.energy_j,
                   e.inferences_in_run, e.inferences_in_run == 1 ? "" : "s", e.power_w, e.tops_per_w);
  s += fmt::format("  largest   {}\n", top_entries(e.energy_breakdown_j, e.energy_j, 5));
  s += fmt::format("area        {:.4g} mm^2{} ({} nm)\n", e.area_mm2,
                   e.area_overridden ? fmt::format(" (given; estimate {:.4g})", e.area_estimated_mm2) : " (estimate)",
                   e.node_nm);
  s += fmt::format("  largest   {}\n", top_entries(e.area_breakdown_mm2, e.area_estimated_mm2, 4));
  s += fmt::format("carbon      {:.4g} g CO2e per inference = {:.4g} operational + {:.4g} embodied share\n",
                   c.per_inference_g, c.operational_g, c.per_inference_g - c.operational_g);
  s += fmt::format("  embodied  {:.4g} g (die {:.4g}, memory {:.4g}, packaging {:.4g}); lifetime total {:.4g} kg\n",
                   c.embodied_g, c.embodied_die_g, c.embodied_memory_g, c.embodied_packaging_g,
                   c.lifetime_total_g / 1000);
  return s;
}

std::string pe_detail_text(const std::vector<PeDetailRow>& rows) {
  std::string s = "\nPE-level replay of the compiled program (every PE stepped each cycle, real arithmetic):\n";
  s += fmt::format("{:<24} {:>4} {:<22} {:<5} {:>12} {:>12} {:>11} {:>6} {:>8}\n", "op", "core", "share", "prec",
                   "PE cycles", "engine", "commands", "equal", "outputs");
  for (const auto& r : rows)
    s += fmt::format("{:<24} {:>4} {:<22} {:<5} {:>12} {:>12} {:>11} {:>6} {:>8}{}\n", r.op, r.core,
                     fmt::format("{}x{}x{}x{}", r.instances, r.m, r.n, r.k), name_of(r.precision),
                     with_commas(r.pe_cycles), with_commas(r.engine_cycles),
                     fmt::format("{}/{}", r.commands_matching, r.commands), r.agrees() ? "yes" : "NO",
                     r.outputs_match ? "match" : "DIFFER", r.reused ? "  (same share as above: run once)" : "");
  return s;
}

nlohmann::json pe_detail_json(const std::vector<PeDetailRow>& rows) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& r : rows)
    j.push_back({{"op", r.op}, {"core", r.core}, {"instances", r.instances}, {"m", r.m}, {"n", r.n}, {"k", r.k},
                 {"precision", name_of(r.precision)}, {"pe_cycles", r.pe_cycles}, {"engine_cycles", r.engine_cycles},
                 {"commands", r.commands}, {"commands_matching", r.commands_matching},
                 {"useful_macs", r.useful_macs}, {"outputs_match", r.outputs_match}, {"agrees", r.agrees()},
                 {"reused", r.reused}});
  return j;
}

}  // namespace catsim
