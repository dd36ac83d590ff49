#pragma once
// What a run simulated, after presets and --set: the arch and model as typed JSON (`resolved` in every
// result), the one-paragraph text header, and --dump-config's YAML that re-runs to the same result.

#include <nlohmann/json.hpp>
#include <string>

#include "arch/arch_spec.h"
#include "workloads/model_spec.h"

namespace catsim {

nlohmann::json resolved_arch_json(const ArchSpec& a);
nlohmann::json resolved_model_json(const ModelSpec& m);

// Lines naming the workload, precision, array, SRAM and DRAM bandwidth, for the top of the text report.
std::string run_header_text(const ArchSpec& a, const ModelSpec& m);

// One YAML file with `arch:` and `model:` blocks (presets merged, --set applied, the HuggingFace config
// path made absolute, workload and precision spelled out); `catsim FILE` runs it.
std::string dump_config_yaml(const ArchSpec& a, const ModelSpec& m, const std::string& command_line);

}  // namespace catsim
