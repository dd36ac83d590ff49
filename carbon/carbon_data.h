#pragma once
// The carbon tables shipped with catsim: ACT (configs/tech/act.yaml) and carbon intensity by region
// (configs/regions.yaml), parsed once and shared.

#include <memory>
#include <string>

#include "carbon/embodied/act.h"
#include "carbon/regions.h"

namespace catsim {

struct CarbonData {
  ActTables act;
  RegionTables regions;

  static std::shared_ptr<const CarbonData> load(const std::string& configs_dir);
  static std::shared_ptr<const CarbonData> shared();  // data_dir(), loaded on first use
};

}  // namespace catsim
