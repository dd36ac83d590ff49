#pragma once
// Reads a HuggingFace config.json into towers with exact shapes, using each config class's defaults
// for keys the file leaves out. Supported model_types: bert, roberta, vit, llama, mistral, qwen2, clip.

#include <string>
#include <vector>

#include "workloads/model_spec.h"

namespace catsim {

struct HfModel {
  Family family = Family::bert;
  std::string name;                 // the checkpoint's architecture class, if given
  std::vector<TowerSpec> towers;    // CLIP: {text, vision}
  std::int64_t projection_dim = 0;  // CLIP only
};

HfModel load_hf_config(const std::string& file);

}  // namespace catsim
