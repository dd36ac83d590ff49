#include "workloads/dim_limits.h"

#include <algorithm>
#include <array>

namespace catsim {
namespace {

// One dimension's limit, declared once for its model.yaml key and every config.json key that sets it.
struct DimLimit {
  std::string_view yaml_key;                  // model.yaml (or workload:) key
  std::array<std::string_view, 4> json_keys;  // HuggingFace config.json: the canonical name, then aliases
  std::int64_t max;                           // every minimum is 1
};

constexpr DimLimit kLimits[] = {
    // decoder_sparse_step (an MoE layer every N layers) is bounded like the layer count.
    {"layers", {"num_hidden_layers", "n_layer", "decoder_sparse_step"}, 1024},
    {"hidden", {"hidden_size", "n_embd", "word_embed_proj_dim"}, 65'536},
    {"heads", {"num_attention_heads", "n_head"}, 4096},
    {"kv_heads", {"num_key_value_heads"}, 4096},
    {"head_dim", {"head_dim"}, 65'536},
    {"ffn", {"intermediate_size", "n_inner", "ffn_dim"}, 1'048'576},
    {"expert_ffn", {"moe_intermediate_size"}, 1'048'576},
    {"shared_expert_ffn", {"shared_expert_intermediate_size"}, 1'048'576},
    {"vocab", {"vocab_size"}, 16'777'216},
    {"max_positions", {"max_position_embeddings", "n_positions"}, 16'777'216},
    {"type_vocab", {"type_vocab_size"}, 65'536},
    {"image_size", {"image_size"}, 65'536},
    {"patch_size", {"patch_size"}, 65'536},
    {"channels", {"num_channels"}, 4096},
    {"projection_dim", {"projection_dim"}, 65'536},
    {"experts", {"num_local_experts", "num_experts"}, 4096},
    {"experts_per_token", {"num_experts_per_tok"}, 4096},
    {"batch", {"batch"}, 65'536},
    {"seq_len", {"seq_len"}, 16'777'216},
    {"kv_len", {"kv_len"}, 16'777'216},
    {"gemm", {"gemm"}, 16'777'216},  // m, n and k of a GEMM workload
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
