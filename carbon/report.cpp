#include "carbon/report.h"

#include <stdexcept>

#include "carbon/carbon_data.h"
#include "carbon/tech/tech_table.h"

namespace catsim {

Report make_report(int node_nm, const EnergyReport& energy, const AreaReport& area,
                   const CarbonReport& carbon, double inferences_in_run) {
  Report r;
  r.node_nm = node_nm;
  r.seconds = energy.seconds;
  r.energy_j = energy.energy_j;
  r.energy_breakdown_j = energy.breakdown_j;
  r.power_w = energy.power_w;
  r.static_power_w = energy.static_power_w;
  r.tops_per_w = energy.tops_per_w;
  r.area_mm2 = area.area_mm2;
  r.area_estimated_mm2 = area.estimated_mm2;
  r.area_overridden = area.overridden;
  r.area_breakdown_mm2 = area.breakdown_mm2;
  r.inferences_in_run = inferences_in_run;
  r.carbon = carbon;
  return r;
}

void validate_energy_inputs(const ArchSpec& arch) {
  TechTable tech = TechTable::for_arch(arch);
  CarbonConfig config = parse_carbon_config(arch, *CarbonData::shared());
  checked_die_yield(config, arch, compute_area(arch, tech).area_mm2);
}

Report evaluate(const ArchSpec& arch, const EventCounts& counts, double inferences_in_run) {
  if (!(inferences_in_run > 0)) throw std::invalid_argument("inferences_in_run must be positive");
  TechTable tech = TechTable::for_arch(arch);
  auto data = CarbonData::shared();
  CarbonConfig config = parse_carbon_config(arch, *data);
  AreaReport area = compute_area(arch, tech);
  EnergyReport energy = compute_energy(arch, tech, counts, area);
  CarbonReport carbon =
      compute_carbon(config, data->act, arch, area.area_mm2, energy.energy_j / inferences_in_run);
  return make_report(arch.technology.node_nm, energy, area, carbon, inferences_in_run);
}

nlohmann::json to_json(const CarbonReport& c) {
  return {
      {"embodied_die_g", c.embodied_die_g},
      {"embodied_memory_g", c.embodied_memory_g},
      {"embodied_packaging_g", c.embodied_packaging_g},
      {"embodied_g", c.embodied_g},
      {"operational_g", c.operational_g},
      {"per_inference_g", c.per_inference_g},
      {"lifetime_total_g", c.lifetime_total_g},
      {"assumptions",
       {{"die_area_mm2", c.die_area_mm2},
        {"die_yield", c.die_yield},
        {"carbon_per_cm2_g", c.carbon_per_cm2_g},
        {"fab_region", c.fab_region},
        {"fab_ci_g_per_kwh", c.fab_ci_g_per_kwh},
        {"gas_abatement_pct", c.gas_abatement_pct},
        {"grid_region", c.grid_region},
        {"grid_ci_g_per_kwh", c.grid_ci_g_per_kwh},
        {"pue", c.pue},
        {"memory_gb", c.memory_gb},
        {"memory_g_per_gb", c.memory_g_per_gb},
        {"energy_per_inference_j", c.energy_per_inference_j},
        {"lifetime_inferences", c.lifetime_inferences}}},
  };
}

nlohmann::json to_json(const Report& r) {
  return {
      {"node_nm", r.node_nm},
      {"seconds", r.seconds},
      {"energy_j", r.energy_j},
      {"energy_breakdown_j", r.energy_breakdown_j},
      {"power_w", r.power_w},
      {"static_power_w", r.static_power_w},
      {"tops_per_w", r.tops_per_w},
      {"area_mm2", r.area_mm2},
      {"area_estimated_mm2", r.area_estimated_mm2},
      {"area_overridden", r.area_overridden},
      {"area_breakdown_mm2", r.area_breakdown_mm2},
      {"inferences_in_run", r.inferences_in_run},
      {"carbon", to_json(r.carbon)},
  };
}

}  // namespace catsim
