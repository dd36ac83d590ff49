#pragma once
// The validated description of one workload: a transformer (one tower, or CLIP's two) or a list of
// GEMMs, with its workload shape and precisions. Produced by workloads/model_parser.h.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arch/precision.h"

namespace catsim {

enum class Family { bert, roberta, vit, llama, mistral, qwen2, clip, gpt2, opt, phi3, gemma2, mixtral, qwen2_moe, gemm, onnx };
// The element-wise functions of the activation op; those after sigmoid come only from imported graphs.
enum class Activation {
  gelu, gelu_tanh, quick_gelu, silu, relu, tanh, sigmoid,
  clip, leaky_relu, hardsigmoid, hardswish, exp, sqrt, reciprocal, square
};
enum class NormKind { layernorm, rmsnorm };
enum class Phase { prefill, decode, generate };  // generate: a prefill of the prompt, then gen_len decode steps

std::string_view name_of(Family f);
std::string_view name_of(Activation a);

// One transformer stack with the conventions of its HuggingFace class.
struct TowerSpec {
  std::string name;  // "" for single-tower models, "text" / "vision" for CLIP
  Family family = Family::bert;
  bool vision = false;  // patch-embedding input instead of tokens
  std::int64_t layers = 0, hidden = 0, heads = 0, kv_heads = 0, head_dim = 0, ffn = 0;
  std::int64_t vocab = 0, max_positions = 0, type_vocab = 0;
  std::int64_t image_size = 0, patch_size = 0, channels = 3;
  Activation act = Activation::gelu;
  bool gated_ffn = false;  // SwiGLU-style gate + up projections
  NormKind norm = NormKind::layernorm;
  bool pre_norm = false;       // norm before attention/FFN (Llama, ViT, CLIP) vs after (BERT)
  bool qkv_bias = true, o_bias = true, mlp_bias = true;
  bool patch_bias = true;      // ViT conv bias; CLIP vision has none
  bool pre_layernorm = false;  // CLIP vision's extra LayerNorm before the encoder
  bool pooler = false;         // BERT/ViT pooler dense + tanh
  bool lm_head = false;        // causal LM head
  bool tie_embeddings = false;
  bool causal = false;         // decoder with a KV cache
  bool learned_positions = false;     // GPT-2 / OPT: a learned position table added to the token embeddings
  std::int64_t position_offset = 0;   // OPT: the position table has max_positions + 2 rows
  std::int64_t embed_proj = 0;        // OPT word_embed_proj_dim when it differs from hidden (project_in/out), else 0
  bool sandwich_norm = false;         // Gemma 2: extra norms after attention and after the FFN (4 per layer)
  bool embed_scale = false;           // Gemma: token embeddings multiplied by sqrt(hidden)
  bool attn_softcap = false;          // Gemma 2: tanh soft-capping of the attention scores
  // Sliding-window attention: a query attends to its last `sliding_window` keys (itself included) on the
  // windowed layers, and their KV cache keeps that many tokens; 0: every key. Gemma 2 windows its even
  // layers (0, 2, ...) and attends globally on the odd ones; Mistral, Phi-3 and Mixtral window every layer.
  std::int64_t sliding_window = 0;
  bool window_even_layers_only = false;
  bool windowed(std::int64_t layer) const { return sliding_window > 0 && (!window_even_layers_only || layer % 2 == 0); }
  // Mixture of experts (Mixtral): `experts` FFNs per layer, each token routed to `experts_per_token` of them.
  std::int64_t experts = 0, experts_per_token = 0;
  std::int64_t expert_ffn = 0;         // each routed expert's intermediate size (0: ffn)
  std::int64_t shared_expert_ffn = 0;  // Qwen2-MoE: an always-on shared expert with a sigmoid gate (0: none)
  bool moe() const { return experts > 0; }

  std::int64_t attn_dim() const { return heads * head_dim; }
  std::int64_t kv_dim() const { return kv_heads * head_dim; }
  std::int64_t patches() const { return vision ? (image_size / patch_size) * (image_size / patch_size) : 0; }
};

struct Pruning {
  std::optional<std::int64_t> layers, heads, kv_heads, ffn, hidden;
  bool any() const { return layers || heads || kv_heads || ffn || hidden; }
};

struct WorkloadSpec {
  std::int64_t batch = 1;
  std::int64_t seq_len = 0;  // tokens per sequence (text towers); vision towers derive theirs
  Phase phase = Phase::prefill;
  std::int64_t kv_len = 0;   // decode: context length attended, including the new token
  std::int64_t prompt_len = 0, gen_len = 0;  // generate: prompt tokens, output tokens (seq_len = prompt_len)
};
std::string_view name_of(Phase p);

struct PrecisionSpec {
  Precision weights = Precision::int8;
  Precision activations = Precision::int8;
  Precision kv_cache = Precision::int8;
  std::string accumulator = "int32";  // int32 | fp32 | fp16 | bf16
  int accumulator_bits() const { return accumulator == "int32" || accumulator == "fp32" ? 32 : 16; }
};

struct ImportedGraph;  // workloads/imported_graph.h

struct GemmSpec {
  std::string name;
  std::int64_t m = 0, n = 0, k = 0;
};

struct ModelSpec {
  std::string name;
  std::string source_file;
  Family family = Family::bert;
  std::vector<TowerSpec> towers;    // as pruned; CLIP: {text, vision}
  std::vector<TowerSpec> original;  // before pruning
  std::int64_t projection_dim = 0;  // CLIP joint embedding
  WorkloadSpec workload;
  PrecisionSpec precision;
  std::vector<GemmSpec> gemms;  // family == gemm
  std::shared_ptr<const ImportedGraph> imported;  // family == onnx: the graph's ops and what the file says
  // family == onnx with no precision given: every op keeps the graph's tensor types (a mixed graph runs
  // mixed); any precision key sets `precision` for all ops instead.
  bool graph_precisions = false;
  std::string torch_dtype;      // the HuggingFace config's torch_dtype, "" when absent
  Precision default_precision = Precision::int8;  // used when the model gives no precision: torch_dtype, else int8
  std::optional<Precision> default_weights;       // a weight-quantized HF checkpoint's weights (quantization_config)
  std::vector<std::string> warnings;  // problems that do not stop the run (unknown config.json keys)
  YAML::Node tree;              // the model.yaml as read, after --set (for --dump-config)

  bool is_gemm_list() const { return family == Family::gemm; }
  bool is_imported() const { return family == Family::onnx; }
  const TowerSpec* tower(std::string_view n) const {
    for (const auto& t : towers)
      if (t.name == n) return &t;
    return nullptr;
  }
};

}  // namespace catsim
