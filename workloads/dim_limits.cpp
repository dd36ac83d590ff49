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
};

}  // namespace

DimRange dim_range(std::string_view key) {
  const std::string_view k = key == "m" || key == "n" || key == "k" ? std::string_view("gemm") : key;
  for (const DimLimit& l : kLimits)
    if (k == l.yaml_key || k == l.json_key) return {1, l.max};
  return {1, kMaxOtherDim};
}

}  // namespace catsim
