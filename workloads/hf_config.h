#pragma once
// Reads a HuggingFace config.json into towers with exact shapes, using each config class's defaults
// for keys the file leaves out. Supported model_types: bert, roberta, vit, llama, mistral, qwen2, clip,
// gpt2, opt, phi3, gemma2, mixtral. Keys catsim does not know are reported as warnings (with a guess).

#include <optional>
#include <string>
#include <vector>

#include "workloads/model_spec.h"

namespace catsim {

struct HfModel {
  Family family = Family::bert;
  std::string name;                 // the checkpoint's architecture class, if given
  std::vector<TowerSpec> towers;    // CLIP: {text, vision}
  std::int64_t projection_dim = 0;  // CLIP only
  std::string torch_dtype;          // as written in the file ("" when absent)
  std::optional<Precision> dtype;   // torch_dtype as a catsim precision, when it names one
  // quantization_config (AWQ, GPTQ, bitsandbytes, ...): the weights' precision when the checkpoint is
  // weight-quantized (activations stay at dtype), and the method as written.
  std::optional<Precision> weight_quant;
  std::string quant_method;
  std::vector<std::string> warnings;  // unknown keys, one line each (file:line:col: key: ...)
};

HfModel load_hf_config(const std::string& file);

}  // namespace catsim
