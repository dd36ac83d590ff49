#include "workloads/dim_limits.h"

namespace catsim {
namespace {

struct DimLimit {
  std::string_view yaml_key;  // model.yaml (or workload:) key
  std::string_view json_key;  // HuggingFace config.json key
  std::int64_t max;           // every minimum is 1
};

constexpr DimLimit kLimits[] = {
    {"layers", "num_hidden_layers", 1024},
    {"hidden", "hidden_size", 65'536},
    {"heads", "num_attention_heads", 4096},
    {"kv_heads", "num_key_value_heads", 4096},
    {"head_dim", "head_dim", 65'536},
    {"ffn", "intermediate_size", 1'048'576},
    {"vocab", "vocab_size", 16'777'216},
    {"max_positions", "max_position_embeddings", 16'777'216},
    {"type_vocab", "type_vocab_size", 65'536},
    {"image_size", "image_size", 65'536},
    {"patch_size", "patch_size", 65'536},
    {"channels", "num_channels", 4096},
    {"projection_dim", "projection_dim", 65'536},
    {"batch", "batch", 65'536},
    {"seq_len", "seq_len", 16'777'216},
    {"kv_len", "kv_len", 16'777'216},
    {"gemm", "gemm", 16'777'216},  // m, n and k of a GEMM workload
    // HuggingFace aliases of the same dimensions (GPT-2, OPT, MoE configs), bounded like their canonical names.
    {"layers", "n_layer", 1024},
    {"hidden", "n_embd", 65'536},
    {"hidden", "word_embed_proj_dim", 65'536},
    {"heads", "n_head", 4096},
    {"ffn", "n_inner", 1'048'576},
    {"ffn", "ffn_dim", 1'048'576},
    {"ffn", "moe_intermediate_size", 1'048'576},
    {"ffn", "shared_expert_intermediate_size", 1'048'576},
    {"max_positions", "n_positions", 16'777'216},
    {"experts", "num_local_experts", 4096},
    {"experts", "num_experts", 4096},
    {"experts", "num_experts_per_tok", 4096},
    {"layers", "decoder_sparse_step", 1024},
};

}  // namespace

DimRange dim_range(std::string_view key) {
  const std::string_view k = key == "m" || key == "n" || key == "k" ? std::string_view("gemm") : key;
  for (const DimLimit& l : kLimits)
    if (k == l.yaml_key || k == l.json_key) return {1, l.max};
  return {1, kMaxOtherDim};
}

}  // namespace catsim
