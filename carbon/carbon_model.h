#pragma once
// Embodied (ACT) and operational carbon of one design, per inference and over its deployment.

#include <string>

#include "arch/arch_spec.h"
#include "carbon/carbon_config.h"
#include "carbon/embodied/act.h"

namespace catsim {

struct CarbonReport {
  double embodied_die_g = 0;        // area_cm2 x ACT carbon per cm2 of good die
  double embodied_memory_g = 0;     // DRAM capacity x g/GB / memory yield
  double embodied_packaging_g = 0;  // one packaged IC
  double embodied_g = 0;            // the three above
  double operational_g = 0;         // one inference
  double per_inference_g = 0;       // operational + embodied / lifetime inferences
  double lifetime_total_g = 0;      // embodied + operational x lifetime inferences

  // What the figures rest on, for the report.
  double die_area_mm2 = 0;
  double die_yield = 0;
  double carbon_per_cm2_g = 0;
  std::string fab_region;
  double fab_ci_g_per_kwh = 0;
  int gas_abatement_pct = 0;
  std::string grid_region;
  double grid_ci_g_per_kwh = 0;
  double pue = 1;
  double memory_gb = 0;
  double memory_g_per_gb = 0;
  double energy_per_inference_j = 0;
  double lifetime_inferences = 0;
};

// The die yield of `die_area_mm2` under the arch's yield spec; a ConfigError when it rounds to 0 (a die so
// large that no good one is expected), which would make the embodied carbon infinite.
double checked_die_yield(const CarbonConfig& config, const ArchSpec& arch, double die_area_mm2);

CarbonReport compute_carbon(const CarbonConfig& config, const ActTables& act, const ArchSpec& arch,
                            double die_area_mm2, double energy_per_inference_j);

}  // namespace catsim
