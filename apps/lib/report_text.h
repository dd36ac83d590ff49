#pragma once
// The terminal summary of a simulation: totals, unit utilization and the per-op table.

#include <string>

#include "sim/run/simulation.h"

namespace catsim {

std::string simulation_text(const SimulationResult& r);

}  // namespace catsim
