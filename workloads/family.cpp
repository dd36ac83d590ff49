#include "workloads/family.h"

namespace catsim {

std::optional<Family> parse_family(std::string_view s) {
  for (Family f : {Family::bert, Family::roberta, Family::vit, Family::llama, Family::mistral, Family::qwen2,
                   Family::clip, Family::gpt2, Family::opt, Family::phi3, Family::gemma2, Family::mixtral,
                   Family::qwen2_moe})
    if (name_of(f) == s) return f;
  return std::nullopt;
}

std::optional<Activation> parse_activation(std::string_view s) {
  if (s == "gelu") return Activation::gelu;
  if (s == "gelu_new" || s == "gelu_pytorch_tanh" || s == "gelu_fast" || s == "gelu_tanh") return Activation::gelu_tanh;
  if (s == "quick_gelu") return Activation::quick_gelu;
  if (s == "silu" || s == "swish") return Activation::silu;
  if (s == "relu") return Activation::relu;
  return std::nullopt;
}

TowerSpec family_conventions(Family family, std::string_view tower) {
  TowerSpec t;
  t.family = family;
  t.name = std::string(tower);
  switch (family) {
    case Family::bert:
    case Family::roberta:
      t.pooler = true;  // BertModel / RobertaModel are counted with their pooler
      t.type_vocab = family == Family::bert ? 2 : 1;
      break;
    case Family::vit:
      t.vision = true;
      t.pre_norm = true;
      t.pooler = true;  // ViTModel(add_pooling_layer=True)
      break;
    case Family::gpt2:
    case Family::opt:
      t.pre_norm = true;  // OPT-350m is post-norm: the config reader clears this (do_layer_norm_before)
      t.act = family == Family::gpt2 ? Activation::gelu_tanh : Activation::relu;
      t.learned_positions = true;
      t.position_offset = family == Family::opt ? 2 : 0;
      t.tie_embeddings = true;
      t.lm_head = true;
      t.causal = true;
      break;
    case Family::gemma2:
      t.sandwich_norm = true;
      t.embed_scale = true;
      t.attn_softcap = true;
      t.tie_embeddings = true;
      [[fallthrough]];
    case Family::llama:
    case Family::mistral:
    case Family::qwen2:
    case Family::phi3:
    case Family::mixtral:
    case Family::qwen2_moe:
      t.norm = NormKind::rmsnorm;
      t.pre_norm = true;
      t.act = family == Family::gemma2 ? Activation::gelu_tanh : Activation::silu;
      t.gated_ffn = true;
      if (family == Family::mixtral) t.experts = 8, t.experts_per_token = 2;
      if (family == Family::qwen2_moe) t.experts = 60, t.experts_per_token = 4, t.expert_ffn = 1408, t.shared_expert_ffn = 5632;
      t.qkv_bias = family == Family::qwen2 || family == Family::qwen2_moe;  // Qwen2 has biases on q/k/v only
      t.o_bias = false;
      t.mlp_bias = false;
      t.lm_head = true;
      t.causal = true;
      break;
    case Family::clip:
      t.pre_norm = true;
      t.act = Activation::quick_gelu;
      t.vision = tower == "vision";
      t.patch_bias = false;
      t.pre_layernorm = t.vision;
      break;
    case Family::gemm:
    case Family::onnx:
      break;
  }
  return t;
}

}  // namespace catsim
