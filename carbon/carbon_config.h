#pragma once
// The `carbon:` block of arch.yaml, validated. Every key is optional:
//
//   carbon:
//     embodied:
//       fab_region: taiwan            # or taiwan@2022; default from act.yaml (taiwan, newest table)
//       fab_ci_g_per_kwh: 642         # instead of fab_region
//       gas_abatement_pct: 97         # 95 | 97 | 99 (97 = mean of ACT's 95 and 99 tables; ACT's default)
//       yield: 0.875                  # fixed yield in (0, 1]; default 0.875 (ACT) ...
//       defect_density_per_cm2: 0.1   # ... or a defect-density model:
//       yield_model: negative_binomial  # poisson | murphy | negative_binomial (default)
//       clustering_alpha: 3           # negative binomial only (default 3)
//       packaging_g_per_ic: 150       # ACT's packaging per IC
//       memory_g_per_gb: 65           # replaces the per-DRAM-type figure of act.yaml
//       memory_yield: 0.875           # ACT divides memory carbon by this
//     operational:
//       grid_region: us-central1      # GCP region or ISO-3 country (see regions.yaml); default world
//       grid_ci_g_per_kwh: 430        # instead of grid_region
//       pue: 1.1                      # >= 1, default 1.0
//     deployment: {lifetime_years: 3, inferences: 3.0e7}   # CATransformers' convention (the default)
//     # or deployment: {lifetime_years: 5, inferences_per_second: 100, utilization: 0.4}

#include <optional>
#include <string>

#include "arch/arch_spec.h"
#include "carbon/carbon_data.h"
#include "carbon/embodied/yield.h"
#include "carbon/operational/operational.h"

namespace catsim {

struct EmbodiedConfig {
  std::string fab_region;  // "taiwan@2023", or "custom" when given as a number
  double fab_ci_g_per_kwh = 0;
  int gas_abatement_pct = 97;
  YieldSpec yield;
  double packaging_g_per_ic = 150;
  std::optional<double> memory_g_per_gb;  // unset: by DRAM type from act.yaml
  double memory_yield = 0.875;
};

struct OperationalConfig {
  std::string grid_region;  // "us-central1@2024", or "custom"
  double grid_ci_g_per_kwh = 0;
  double pue = 1.0;
};

struct CarbonConfig {
  EmbodiedConfig embodied;
  OperationalConfig operational;
  Deployment deployment;
};

// `carbon` may be undefined or null (all defaults). Errors are ConfigErrors located in `source_file`.
CarbonConfig parse_carbon_config(const YAML::Node& carbon, const std::string& source_file,
                                 const CarbonData& data);
// Same, with the origin of every key (preset file, arch.yaml or --set) for error locations.
CarbonConfig parse_carbon_config(const YAML::Node& carbon, std::shared_ptr<const Origins> origins,
                                 const CarbonData& data);
CarbonConfig parse_carbon_config(const ArchSpec& arch, const CarbonData& data);

}  // namespace catsim
