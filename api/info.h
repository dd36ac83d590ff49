#pragma once
// `catsim info`: parameters per component, MACs, KV-cache bytes and the op table of one model.

#include <nlohmann/json.hpp>
#include <string>

#include "arch/arch_spec.h"
#include "workloads/model_spec.h"
#include "workloads/op_graph.h"

namespace catsim {

nlohmann::json info_json(const ModelSpec& m, const OpGraph& g);
std::string info_text(const ModelSpec& m, const OpGraph& g);

nlohmann::json arch_info_json(const ArchSpec& a);
std::string arch_info_text(const ArchSpec& a);

}  // namespace catsim
