#pragma once
// The complete JSON of one evaluated design: who made it (version, command line), what was simulated
// (resolved arch and model), the timing result and the energy/area/carbon report.

#include <nlohmann/json.hpp>
#include <string>

#include "api/evaluation.h"

namespace catsim {

nlohmann::json result_document(const Evaluation& ev, const ArchSpec& arch, const ModelSpec& model,
                               const std::string& command_line);

}  // namespace catsim
