#pragma once
// JSON and CSV forms of a simulation result; every stat is named with its unit.

#include <nlohmann/json.hpp>
#include <string>

#include "sim/run/simulation.h"

namespace catsim {

nlohmann::json to_json(const SimulationResult& r);
std::string ops_csv(const SimulationResult& r);

}  // namespace catsim
