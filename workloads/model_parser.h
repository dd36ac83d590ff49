#pragma once
// Reads model.yaml (a `family:` with dims, or an `hf_config:` plus overrides; or a GEMM list) or a
// HuggingFace config.json directly, with `--set model.*` overrides, into a validated ModelSpec.

#include <string>
#include <vector>

#include "arch/config/overrides.h"
#include "workloads/model_spec.h"

namespace catsim {

ModelSpec load_model(const std::string& file, const std::vector<Override>& overrides = {});

}  // namespace catsim
