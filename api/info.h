#pragma once
// `catsim info`: parameters per component, MACs, KV-cache bytes and the op table of one model, or an arch's
// resources, peak rates, area and embodied carbon.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "workloads/model_spec.h"
#include "workloads/op_graph.h"

namespace catsim {

nlohmann::json info_json(const ModelSpec& m, const OpGraph& g);
std::string info_text(const ModelSpec& m, const OpGraph& g);

nlohmann::json arch_info_json(const ArchSpec& a);
std::string arch_info_text(const ArchSpec& a);

// What `catsim info FILE` describes: an arch, or a model with its op graph.
struct InfoSubject {
  std::optional<ArchSpec> arch;
  std::optional<ModelSpec> model;
  OpGraph graph;  // the model's
};

// Loads `file` (a path or a shipped arch or model name) with `set` (overrides of its own kind only: an
// arch takes arch.KEY=VALUE, a model model.KEY=VALUE); an arch's energy inputs are checked as a simulation
// checks them. ConfigError for bad input.
InfoSubject load_info_subject(const std::string& file, const std::vector<std::string>& set);

// The document `catsim info FILE --json` prints (every number checked finite), and its text.
nlohmann::json info_document(const InfoSubject& s);
std::string info_text(const InfoSubject& s);

}  // namespace catsim
