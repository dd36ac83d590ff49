#include "workloads/dim_limits.h"
#include "workloads/model_params.h"

#include <algorithm>
#include <array>

namespace catsim {
namespace {

// One dimension's limit for its model.yaml key and every config.json key that sets it; the bound is the
// model.yaml declaration's (workloads/model_params.h).
struct DimLimit {
  std::string_view yaml_key;                  // model.yaml (or workload:) key
  std::array<std::string_view, 4> json_keys;  // HuggingFace config.json: the canonical name, then aliases
  std::int64_t max;                           // every minimum is 1
};

consteval std::int64_t max_of(std::string_view model_key) {
  return static_cast<std::int64_t>(model_param(model_key).hi);
}

constexpr DimLimit kLimits[] = {
    // decoder_sparse_step (an MoE layer every N layers) is bounded like the layer count.
    {"layers", {"num_hidden_layers", "n_layer", "decoder_sparse_step"}, max_of("layers")},
    {"hidden", {"hidden_size", "n_embd", "word_embed_proj_dim"}, max_of("hidden")},
    {"heads", {"num_attention_heads", "n_head"}, max_of("heads")},
    {"kv_heads", {"num_key_value_heads"}, max_of("kv_heads")},
    {"head_dim", {"head_dim"}, max_of("head_dim")},
    {"ffn", {"intermediate_size", "n_inner", "ffn_dim"}, max_of("ffn")},
    {"expert_ffn", {"moe_intermediate_size"}, max_of("expert_ffn")},
    {"shared_expert_ffn", {"shared_expert_intermediate_size"}, max_of("shared_expert_ffn")},
    {"vocab", {"vocab_size"}, max_of("vocab")},
    {"max_positions", {"max_position_embeddings", "n_positions"}, max_of("max_positions")},
    {"type_vocab", {"type_vocab_size"}, max_of("type_vocab")},
    {"image_size", {"image_size"}, max_of("image_size")},
    {"patch_size", {"patch_size"}, max_of("patch_size")},
    {"channels", {"num_channels"}, max_of("channels")},
    {"projection_dim", {"projection_dim"}, max_of("projection_dim")},
    {"experts", {"num_local_experts", "num_experts"}, max_of("experts")},
    {"experts_per_token", {"num_experts_per_tok"}, max_of("experts_per_token")},
    {"batch", {"batch"}, max_of("workload.batch")},
    {"seq_len", {"seq_len"}, max_of("workload.seq_len")},
    {"kv_len", {"kv_len"}, max_of("workload.kv_len")},
    {"gemm", {"gemm"}, max_of("m")},  // m, n and k of a GEMM workload
};

}  // namespace

DimRange dim_range(std::string_view key) {
  const std::string_view k = key == "m" || key == "n" || key == "k" ? std::string_view("gemm") : key;
  for (const DimLimit& l : kLimits) {
    const bool json = !k.empty() && std::find(l.json_keys.begin(), l.json_keys.end(), k) != l.json_keys.end();
    if (k == l.yaml_key || json) return {1, l.max};
  }
  return {1, kMaxOtherDim};
}

}  // namespace catsim
