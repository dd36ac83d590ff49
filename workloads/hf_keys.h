#pragma once
// config.json keys catsim knows but does not need (training, tokenizer, generation and numerics
// settings that do not change shapes or work), so that only unknown or misspelled keys are warned about.

#include <string_view>

namespace catsim {

// True when `key` is a HuggingFace config key that never affects catsim's shapes or op graph.
bool hf_key_without_effect(std::string_view key);

}  // namespace catsim
