#include "carbon/carbon_model.h"

#include <cmath>

#include "carbon/tech/data_io.h"

namespace catsim {

namespace {

constexpr double kBytesPerGib = 1024.0 * 1024.0 * 1024.0;

double memory_g_per_gb(const CarbonConfig& config, const ActTables& act, const ArchSpec& arch) {
  if (config.embodied.memory_g_per_gb) return *config.embodied.memory_g_per_gb;
  if (arch.dram.capacity_gib <= 0) return 0;
  if (!act.has_memory_type(arch.dram.type))
    throw ConfigError({arch.source_file, 0, 0}, "dram.type",
                      "no embodied-carbon figure for DRAM type '" + arch.dram.type + "' (expected one of " +
                          act.memory_type_list() + ", or set carbon.embodied.memory_g_per_gb)");
  return act.memory_g_per_gb(arch.dram.type);
}

void add_embodied(const CarbonConfig& config, const ActTables& act, const ArchSpec& arch, CarbonReport& r) {
  const EmbodiedConfig& e = config.embodied;
  r.die_yield = checked_die_yield(config, arch, r.die_area_mm2);
  r.carbon_per_cm2_g =
      act_carbon_per_cm2(act, arch.technology.node_nm, e.fab_ci_g_per_kwh, e.gas_abatement_pct, r.die_yield);
  r.embodied_die_g = r.die_area_mm2 / 100.0 * r.carbon_per_cm2_g;
  r.memory_gb = arch.dram.capacity_gib * kBytesPerGib / 1e9;
  r.memory_g_per_gb = memory_g_per_gb(config, act, arch);
  r.embodied_memory_g = embodied_memory_g(r.memory_gb, r.memory_g_per_gb, e.memory_yield);
  r.embodied_packaging_g = e.packaging_g_per_ic;
  r.embodied_g = r.embodied_die_g + r.embodied_memory_g + r.embodied_packaging_g;
}

}  // namespace

double checked_die_yield(const CarbonConfig& config, const ArchSpec& arch, double die_area_mm2) {
  const double y = die_yield(config.embodied.yield, die_area_mm2);
  if (!(y > 0) || !std::isfinite(y))
    throw ConfigError(arch.where(arch.area_mm2 ? "area_mm2" : "systolic.rows"),
                      arch.area_mm2 ? "area_mm2" : "systolic",
                      "a die of " + format_number(die_area_mm2) +
                          " mm^2 has yield 0 under the defect model (expected a smaller die or a fixed carbon.embodied.yield)");
  return y;
}

CarbonReport compute_carbon(const CarbonConfig& config, const ActTables& act, const ArchSpec& arch,
                            double die_area_mm2, double energy_per_inference_j) {
  CarbonReport r;
  r.die_area_mm2 = die_area_mm2;
  r.fab_region = config.embodied.fab_region;
  r.fab_ci_g_per_kwh = config.embodied.fab_ci_g_per_kwh;
  r.gas_abatement_pct = config.embodied.gas_abatement_pct;
  r.grid_region = config.operational.grid_region;
  r.grid_ci_g_per_kwh = config.operational.grid_ci_g_per_kwh;
  r.pue = config.operational.pue;
  r.energy_per_inference_j = energy_per_inference_j;
  r.lifetime_inferences = config.deployment.lifetime_inferences();

  add_embodied(config, act, arch, r);
  r.operational_g = operational_g(energy_per_inference_j, r.grid_ci_g_per_kwh, r.pue);
  r.per_inference_g = r.operational_g + r.embodied_g / r.lifetime_inferences;
  r.lifetime_total_g = r.embodied_g + r.operational_g * r.lifetime_inferences;
  return r;
}

}  // namespace catsim
