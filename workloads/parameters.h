#pragma once
// Exact parameter counts, per component, under HuggingFace's conventions (see shared/reference/hf):
// BertModel/RobertaModel and ViTModel with pooler, *ForCausalLM with lm_head unless tied, CLIPModel.

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/model_spec.h"

namespace catsim {

struct ParamComponent {
  std::string name;  // e.g. "embeddings", "layers.attention", "lm_head", "text.layers.ffn"
  std::int64_t count = 0;
};

struct ParameterCount {
  std::vector<ParamComponent> components;
  std::int64_t total() const;
};

ParameterCount count_parameters(const ModelSpec& m);
// Parameters of one tower only (embeddings, layers, final norm, pooler/head).
ParameterCount count_tower_parameters(const TowerSpec& t);
// Bytes of weights stored at the model's weight precision.
std::uint64_t weight_bytes(const ModelSpec& m);

}  // namespace catsim
