#pragma once
// Everything catsim reports about one evaluated design beyond timing: energy, power, efficiency, area and
// carbon, as one value that the CLI, JSON/CSV writers and the search archive share. No printing here.

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "arch/arch_spec.h"
#include "carbon/area/area_model.h"
#include "carbon/carbon_model.h"
#include "carbon/energy/energy_model.h"
#include "sim/event_counts.h"

namespace catsim {

struct Report {
  int node_nm = 0;
  double seconds = 0;   // simulated time of the run
  double energy_j = 0;  // of the run
  std::map<std::string, double> energy_breakdown_j;
  double power_w = 0;  // average over the run
  double static_power_w = 0;
  double tops_per_w = 0;  // 2 ops per MAC
  double area_mm2 = 0;    // arch.yaml area_mm2 if given, else the estimate
  double area_estimated_mm2 = 0;
  bool area_overridden = false;
  std::map<std::string, double> area_breakdown_mm2;
  double inferences_in_run = 1;  // the run's energy is split over these
  CarbonReport carbon;
};

Report make_report(int node_nm, const EnergyReport& energy, const AreaReport& area,
                   const CarbonReport& carbon, double inferences_in_run);

// The whole chain for one simulated run of `inferences_in_run` inferences (e.g. the batch size):
// tech tables for the arch's node and overrides -> area -> energy -> carbon. Bad arch.yaml input
// (node, DRAM type, overrides, carbon block) throws ConfigError.
Report evaluate(const ArchSpec& arch, const EventCounts& counts, double inferences_in_run = 1);

// Checks the tech and carbon inputs of arch.yaml (node, DRAM type, overrides, carbon block) without
// simulating, so bad input fails before any work is done. Throws ConfigError.
void validate_energy_inputs(const ArchSpec& arch);

nlohmann::json to_json(const CarbonReport& carbon);
nlohmann::json to_json(const Report& report);

}  // namespace catsim
