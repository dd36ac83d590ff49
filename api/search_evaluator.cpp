#include "api/search_evaluator.h"

#include <fmt/format.h>

#include <algorithm>

#include "api/evaluation.h"
#include "arch/arch_parser.h"
#include "carbon/area/area_model.h"
#include "carbon/energy/energy_model.h"
#include "carbon/tech/tech_table.h"
#include "sim/analytic/estimator.h"
#include "sim/compile/compiler.h"
#include "workloads/model_parser.h"
#include "workloads/parameters.h"
#include "carbon/tech/dram_devices.h"

namespace catsim {
namespace {

// What bounds most of the run: the bound of the ops holding the largest share of cycles.
std::string dominant_bound(const SimulationResult& r) {
  std::map<std::string, std::uint64_t> cycles;
  for (const auto& op : r.ops) cycles[std::string(name_of(op.bound))] += op.cycles;
  std::string best = "-";
  std::uint64_t most = 0;
  for (const auto& [b, c] : cycles)
    if (c > most) {
      most = c;
      best = b;
    }
  return best;
}

// Stage 2: rejects what cannot meet the constraints or cannot hold the model, without simulating. Power: a
// run's average power is at least the leakage, so leakage alone above max_power_w rules the point out.
std::optional<std::string> infeasible(const SearchSpace& s, const ArchSpec& arch, const ModelSpec& model,
                                      const TechTable& tech, const AreaReport& area, PointResult& r) {
  const auto& c = s.constraints;
  if (c.max_area_mm2 && *r.area_mm2 > *c.max_area_mm2)
    return fmt::format("area {:.6g} mm2 > max_area_mm2 {:g}", *r.area_mm2, *c.max_area_mm2);
  if (c.max_tops && *r.tops > *c.max_tops)
    return fmt::format("peak {:.6g} TOPS > max_tops {:g}", *r.tops, *c.max_tops);
  const double capacity = arch.dram.capacity_gib * 1024.0 * 1024.0 * 1024.0;
  const auto weights = static_cast<double>(weight_bytes(model));
  if (weights > capacity)
    return fmt::format("memory: {:.0f} bytes of weights exceed the DRAM capacity of {:.0f} bytes", weights, capacity);
  if (c.max_power_w) {
    const double leak = static_power(arch, tech, area).total_w();
    if (leak > *c.max_power_w)
      return fmt::format("power: the leakage alone, {:.6g} W, exceeds max_power_w {:g}", leak, *c.max_power_w);
  }
  return std::nullopt;
}

}  // namespace

double peak_tops(const ArchSpec& arch, const ModelSpec& model) {
  const Precision p = compute_precision(model.precision.weights, model.precision.activations);
  const auto& rates = arch.systolic.macs_per_pe_per_cycle;
  double rate = 0;
  if (auto it = rates.find(p); it != rates.end()) rate = it->second;
  else
    for (const auto& [prec, r] : rates) rate = std::max(rate, r);
  return 2.0 * arch.systolic.rows * arch.systolic.cols * arch.cores * rate * arch.clock_mhz * 1e6 / 1e12;
}

AnalyticScreen latency_screen(const SearchSpace& space) {
  if (!space.screen.on || !space.constraints.max_latency_s) return {};
  const Estimator e = space.screen.estimator == "sequential" ? Estimator::sequential : Estimator::roofline;
  const double bound = *space.constraints.max_latency_s, limit = bound * (1.0 + space.screen.latency_margin);
  const std::string name = space.screen.estimator;
  return [e, bound, limit, name](const ArchSpec& arch, const ModelSpec& model) -> std::optional<std::string> {
    double latency = 0;
    try {
      latency = estimate_model(arch, model, e).latency_s;
    } catch (const ConfigError&) {
      return std::nullopt;  // the simulation stage reports the input problem with its own words
    }
    if (latency <= limit) return std::nullopt;
    return fmt::format("{} estimate {:.4g} s > {:.4g} s (max_latency_s {:.4g} s + margin)", name, latency, limit, bound);
  };
}

PointResult evaluate_search_point(const SearchSpace& s, const std::vector<Override>& overrides,
                                  const AnalyticScreen& screen) {
  PointResult r;
  const auto stop = [&r](const char* status, const char* stage, const std::string& why) {
    r.status = status;
    r.stage = stage;
    r.reason = why;
    return r;
  };
  ArchSpec arch;
  ModelSpec model;
  try {
    arch = load_arch(s.arch_file, overrides);
    resolve_dram_part(arch);
    model = load_model(s.model_file, overrides);
    validate_energy_inputs(arch);
  } catch (const ConfigError& e) {
    return stop("invalid", "config", e.key() + ": " + e.problem());
  }
  const TechTable tech = TechTable::for_arch(arch);
  const AreaReport area = compute_area(arch, tech);
  r.area_mm2 = area.area_mm2;
  r.tops = peak_tops(arch, model);
  if (const auto why = infeasible(s, arch, model, tech, area, r)) return stop("rejected", "feasibility", *why);
  const AnalyticScreen active = screen ? screen : latency_screen(s);
  if (active)
    if (const auto why = active(arch, model)) return stop("rejected", "screen", *why);
  Evaluation ev;
  try {
    ev = evaluate_design(arch, model, s.fidelity);
  } catch (const ConfigError& e) {
    return stop("invalid", "simulation", e.key() + ": " + e.problem());
  }
  r.status = "ok";
  r.latency_s = ev.sim.latency_s;
  r.energy_j = ev.energy.energy_j;
  r.area_mm2 = ev.energy.area_mm2;
  r.power_w = ev.energy.power_w;
  r.array_utilization = ev.sim.array_utilization;
  r.bound = dominant_bound(ev.sim);
  const auto& c = ev.energy.carbon;
  r.carbon_total_g = c.lifetime_total_g;
  r.carbon_embodied_g = c.embodied_g;
  r.carbon_operational_g = c.lifetime_total_g - c.embodied_g;
  return r;
}

}  // namespace catsim
