#pragma once
// The terminal summary of a simulation: totals, unit utilization and the per-op table.

#include <string>

#include "carbon/report.h"
#include "sim/run/simulation.h"

namespace catsim {

std::string simulation_text(const SimulationResult& r);
// Energy, power, area and carbon of the same run.
std::string energy_text(const Report& e);

}  // namespace catsim
