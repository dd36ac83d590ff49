#include "workloads/model_spec.h"

namespace catsim {

std::string_view name_of(Family f) {
  switch (f) {
    case Family::bert: return "bert";
    case Family::roberta: return "roberta";
    case Family::vit: return "vit";
    case Family::llama: return "llama";
    case Family::mistral: return "mistral";
    case Family::qwen2: return "qwen2";
    case Family::clip: return "clip";
    case Family::gpt2: return "gpt2";
    case Family::opt: return "opt";
    case Family::phi3: return "phi3";
    case Family::gemma2: return "gemma2";
    case Family::mixtral: return "mixtral";
    case Family::qwen2_moe: return "qwen2_moe";
    case Family::gemm: return "gemm";
    case Family::onnx: return "onnx";
  }
  return "?";
}

std::string_view name_of(Phase p) {
  switch (p) {
    case Phase::prefill: return "prefill";
    case Phase::decode: return "decode";
    case Phase::generate: return "generate";
  }
  return "?";
}

std::string_view name_of(Activation a) {
  switch (a) {
    case Activation::gelu: return "gelu";
    case Activation::gelu_tanh: return "gelu_tanh";
    case Activation::quick_gelu: return "quick_gelu";
    case Activation::silu: return "silu";
    case Activation::relu: return "relu";
    case Activation::tanh: return "tanh";
    case Activation::sigmoid: return "sigmoid";
    case Activation::clip: return "clip";
    case Activation::leaky_relu: return "leaky_relu";
    case Activation::hardsigmoid: return "hardsigmoid";
    case Activation::hardswish: return "hardswish";
    case Activation::exp: return "exp";
    case Activation::sqrt: return "sqrt";
    case Activation::reciprocal: return "reciprocal";
    case Activation::square: return "square";
  }
  return "?";
}

}  // namespace catsim
