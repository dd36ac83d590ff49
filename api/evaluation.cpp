#include "api/evaluation.h"

#include "carbon/area/area_model.h"
#include "carbon/carbon_config.h"
#include "carbon/carbon_data.h"
#include "carbon/tech/tech_table.h"

namespace catsim {

namespace {

// CATransformers' energy of `counts`: MACs x a flat energy per MAC, no other event and no leakage.
EnergyReport flat_mac_energy(const ArchSpec& arch, const EventCounts& counts) {
  EnergyReport e;
  e.macs = counts.macs.total();
  e.dynamic_j = static_cast<double>(e.macs) * arch.analytic.energy_per_mac_pj * 1e-12;
  e.energy_j = e.dynamic_j;
  if (e.energy_j > 0) e.breakdown_j["array.mac.flat"] = e.energy_j;
  e.seconds = counts.seconds();
  e.power_w = e.seconds > 0 ? e.energy_j / e.seconds : 0;
  e.tops_per_w = e.energy_j > 0 ? 2.0 * static_cast<double>(e.macs) / e.energy_j / 1e12 : 0;
  return e;
}

Report flat_mac_report(const ArchSpec& arch, const EventCounts& counts, double inferences) {
  const TechTable tech = TechTable::for_arch(arch);
  auto data = CarbonData::shared();
  const CarbonConfig config = parse_carbon_config(arch, *data);
  const AreaReport area = compute_area(arch, tech);
  const EnergyReport energy = flat_mac_energy(arch, counts);
  const CarbonReport carbon = compute_carbon(config, data->act, arch, area.area_mm2, energy.energy_j / inferences);
  return make_report(arch.technology.node_nm, energy, area, carbon, inferences);
}

// The cycle-level run; a mapper that ranks schedules by energy gets the design's energy rates.
SimulationResult simulate_for_objective(const ArchSpec& arch, const ModelSpec& model) {
  if (arch.mapper.objective == MapperObjective::latency) return run_simulation(arch, model);
  const TechTable tech = TechTable::for_arch(arch);
  const EventPrices prices = event_prices(arch, tech, compute_area(arch, tech));
  return run_simulation(arch, model, nullptr, &prices);
}

}  // namespace

Evaluation evaluate_design(const ArchSpec& arch, const ModelSpec& model, Fidelity fidelity) {
  const double batch = static_cast<double>(model.workload.batch);
  if (fidelity == Fidelity::sequential) {
    Evaluation e{estimate_model(arch, model, Estimator::sequential), {}};
    e.energy = flat_mac_report(arch, e.sim.counts, batch);
    return e;
  }
  Evaluation e{fidelity == Fidelity::cycle ? simulate_for_objective(arch, model)
                                          : estimate_model(arch, model, Estimator::roofline),
               {}};
  e.energy = evaluate(arch, e.sim.counts, batch);
  return e;
}

std::vector<EnergyReport> op_energies(const ArchSpec& arch, const SimulationResult& r) {
  std::vector<EnergyReport> out;
  out.reserve(r.ops.size());
  if (r.fidelity == "sequential") {
    for (const auto& o : r.ops) out.push_back(flat_mac_energy(arch, o.counts));
    return out;
  }
  const TechTable tech = TechTable::for_arch(arch);
  const AreaReport area = compute_area(arch, tech);
  for (const auto& o : r.ops) out.push_back(compute_energy(arch, tech, o.counts, area));
  return out;
}

}  // namespace catsim
