#pragma once
// The terminal summary of a simulation: totals, unit utilization and the per-op table.

#include <string>

#include "carbon/report.h"
#include "sim/pe/detail_run.h"
#include "sim/run/simulation.h"

namespace catsim {

// `header` (what was simulated) follows the first line.
std::string simulation_text(const SimulationResult& r, const std::string& header = "");
// Energy, power, area and carbon of the same run.
std::string energy_text(const Report& e);
// The --detail pe table: PE-level cycles against the closed form, outputs against the reference.
std::string pe_detail_text(const std::vector<PeDetailRow>& rows);
nlohmann::json pe_detail_json(const std::vector<PeDetailRow>& rows);

}  // namespace catsim
