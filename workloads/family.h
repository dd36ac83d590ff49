#pragma once
// The architectural conventions of each supported HuggingFace model class (biases, norms, heads of the
// model), so that a shape plus a family reproduces HuggingFace's parameter count exactly.

#include <optional>
#include <string_view>

#include "workloads/model_spec.h"

namespace catsim {

inline constexpr std::string_view kFamilyChoices =
    "bert|roberta|vit|llama|mistral|qwen2|clip|gpt2|opt|phi3|gemma2|mixtral|qwen2_moe";

std::optional<Family> parse_family(std::string_view s);
std::optional<Activation> parse_activation(std::string_view hf_name);

// Conventions (flags) for one tower of `family`; `tower` is "text"/"vision" for CLIP, "" otherwise.
TowerSpec family_conventions(Family family, std::string_view tower = "");

}  // namespace catsim
