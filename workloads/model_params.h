#pragma once
// Every key of model.yaml, declared once (type, unit, range, default, meaning). The model parser reads
// through these declarations, workloads/dim_limits.cpp takes its bounds from them (for the config.json names
// and aliases too), and `catsim help model` prints them as the reference of docs/model-yaml.md.

#include <span>

#include "arch/config/param.h"
#include "arch/precision.h"
#include "workloads/dim_limits.h"
#include "workloads/family.h"

namespace catsim {

inline constexpr Param kModelParams[] = {
    {.path = "name", .type = ParamType::text, .default_note = "the file's name", .note = "label"},
    {.path = "kind", .type = ParamType::choice, .choices = "transformer|gemm|gemms|onnx",
     .choice_default = "transformer",
     .note = "`gemm`: one GEMM (`m`, `n`, `k`, a SCALE-Sim topology row); `gemms`: a list of them; `onnx`: a "
             "graph (`file`, `dims`, `inputs`, `batch`)"},
    {.path = "hf_config", .type = ParamType::text, .default_note = "none",
     .what = "path to a HuggingFace config.json", .note = "a HuggingFace `config.json`, relative to this file"},
    {.path = "family", .type = ParamType::choice, .choices = kFamilyChoices, .default_note = "the config's",
     .note = "instead of `hf_config`: the model class, whose conventions (biases, norms, heads) apply"},

    {.path = "layers", .type = ParamType::integer, .lo = 1, .hi = 1024, .default_note = "the config's",
     .what = "number of transformer layers", .note = "transformer layers (required with `family`)"},
    {.path = "hidden", .type = ParamType::integer, .lo = 1, .hi = 65'536, .default_note = "the config's",
     .what = "hidden size", .note = "hidden size (required with `family`)"},
    {.path = "heads", .type = ParamType::integer, .lo = 1, .hi = 4096, .default_note = "the config's",
     .what = "attention heads", .note = "attention heads (required with `family`)"},
    {.path = "kv_heads", .type = ParamType::integer, .lo = 1, .hi = 4096, .default_note = "`heads`",
     .what = "key/value heads (GQA)", .note = "grouped-query key/value heads; must divide `heads`"},
    {.path = "head_dim", .type = ParamType::integer, .lo = 1, .hi = 65'536, .default_note = "hidden / heads",
     .what = "dimension per head"},
    {.path = "ffn", .type = ParamType::integer, .lo = 1, .hi = 1'048'576, .default_note = "the config's",
     .what = "FFN intermediate size", .note = "FFN intermediate size (required with `family`)"},
    {.path = "vocab", .type = ParamType::integer, .lo = 1, .hi = 16'777'216, .default_note = "the config's",
     .what = "vocabulary size", .note = "vocabulary size (text towers)"},
    {.path = "max_positions", .type = ParamType::integer, .lo = 1, .hi = 16'777'216, .default_note = "the config's",
     .what = "maximum sequence length", .note = "longest sequence (text towers)"},
    {.path = "type_vocab", .type = ParamType::integer, .lo = 1, .hi = 65'536,
     .default_note = "2 (BERT), 1 (RoBERTa)", .what = "token-type vocabulary size"},
    {.path = "image_size", .type = ParamType::integer, .unit = "pixels", .lo = 1, .hi = 65'536,
     .default_note = "224", .what = "image side in pixels", .note = "image side (vision towers)"},
    {.path = "patch_size", .type = ParamType::integer, .unit = "pixels", .lo = 1, .hi = 65'536,
     .default_note = "16 or 32", .what = "patch side in pixels", .note = "patch side; must divide `image_size`"},
    {.path = "channels", .type = ParamType::integer, .lo = 1, .hi = 4096, .default_note = "3",
     .what = "image channels"},
    {.path = "experts", .type = ParamType::integer, .lo = 1, .hi = 4096,
     .default_note = "8 (`mixtral`), 60 (`qwen2_moe`)", .what = "experts per MoE layer",
     .note = "routed FFNs per layer (mixture-of-experts families)"},
    {.path = "experts_per_token", .type = ParamType::integer, .lo = 1, .hi = 4096,
     .default_note = "2 (`mixtral`), 4 (`qwen2_moe`)", .what = "experts each token is routed to (top-k)"},
    {.path = "expert_ffn", .type = ParamType::integer, .lo = 1, .hi = 1'048'576,
     .default_note = "`ffn`; 1,408 (`qwen2_moe`)", .what = "intermediate size of each routed expert"},
    {.path = "shared_expert_ffn", .type = ParamType::integer, .lo = 1, .hi = 1'048'576,
     .default_note = "none; 5,632 (`qwen2_moe`)", .what = "intermediate size of the shared expert",
     .note = "intermediate size of the always-on shared expert (behind a sigmoid gate)"},
    {.path = "activation", .type = ParamType::choice, .choices = "gelu|gelu_tanh|quick_gelu|silu|relu",
     .default_note = "the family's", .note = "the FFN's activation"},
    {.path = "tie_embeddings", .type = ParamType::flag, .default_note = "the config's",
     .note = "the LM head shares the embedding matrix"},
    {.path = "text", .type = ParamType::map, .default_note = "the config's",
     .note = "CLIP: the shape keys above for the text tower"},
    {.path = "vision", .type = ParamType::map, .default_note = "the config's",
     .note = "CLIP: the shape keys above for the vision tower"},
    {.path = "projection_dim", .type = ParamType::integer, .lo = 1, .hi = 65'536, .default_note = "512",
     .what = "joint embedding size", .note = "CLIP's joint embedding size"},

    {.path = "workload.batch", .type = ParamType::integer, .lo = 1, .hi = 65'536, .value_default = 1,
     .what = "sequences (or images) per inference"},
    {.path = "workload.phase", .type = ParamType::choice, .choices = "prefill|decode|generate",
     .choice_default = "prefill", .note = "`decode` and `generate`: causal models only"},
    {.path = "workload.seq_len", .type = ParamType::integer, .unit = "tokens", .lo = 1, .hi = 16'777'216,
     .default_note = "min(128, max_positions); CLIP 77", .what = "tokens per sequence",
     .note = "tokens per sequence (prefill; at most `max_positions`; not for vision towers)"},
    {.path = "workload.kv_len", .type = ParamType::integer, .unit = "tokens", .lo = 1, .hi = 16'777'216,
     .default_note = "required for decode", .what = "context length attended by the decode step, tokens (cache + new)",
     .note = "the context a decode step attends, the new token included"},
    {.path = "workload.prompt_len", .type = ParamType::integer, .unit = "tokens", .lo = 1, .hi = 16'777'216,
     .default_note = "required for generate", .what = "prompt tokens per sequence, prefilled at once"},
    {.path = "workload.gen_len", .type = ParamType::integer, .unit = "tokens", .lo = 1, .hi = 16'777'216,
     .default_note = "required for generate", .what = "tokens generated per sequence, one decode step each",
     .note = "tokens generated per sequence, one decode step each; `prompt_len + gen_len` ≤ `max_positions`"},

    {.path = "precision", .type = ParamType::choice, .choices = kPrecisionChoices,
     .default_note = "the config's `torch_dtype`, else `int8`; ONNX: the graph's types",
     .note = "one precision for everything, or a map of the four keys below"},
    {.path = "precision.weights", .type = ParamType::choice, .choices = kPrecisionChoices,
     .default_note = "as `precision`", .note = "weights in DRAM and in the array"},
    {.path = "precision.activations", .type = ParamType::choice, .choices = kPrecisionChoices,
     .default_note = "`weights`", .note = "activations (and the array's streamed operand)"},
    {.path = "precision.kv_cache", .type = ParamType::choice, .choices = kPrecisionChoices,
     .default_note = "`activations`", .note = "the KV cache"},
    {.path = "precision.accumulator", .type = ParamType::choice, .choices = "int32|fp32|fp16|bf16",
     .default_note = "`int32` for integer activations, else `fp32`", .note = "partial sums"},

    {.path = "pruning.layers", .type = ParamType::integer, .lo = 1, .hi = kMaxOtherDim, .default_note = "none",
     .what = "number of layers kept", .note = "layers kept (at most the model's); CLIP: under `pruning.text` or "
                                               "`pruning.vision`"},
    {.path = "pruning.heads", .type = ParamType::integer, .lo = 1, .hi = kMaxOtherDim, .default_note = "none",
     .what = "attention heads kept per layer", .note = "heads kept; GQA keeps its group size unless `kv_heads` is "
                                                       "given"},
    {.path = "pruning.kv_heads", .type = ParamType::integer, .lo = 1, .hi = kMaxOtherDim, .default_note = "none",
     .what = "key/value heads kept per layer"},
    {.path = "pruning.ffn", .type = ParamType::integer, .lo = 1, .hi = kMaxOtherDim, .default_note = "none",
     .what = "FFN intermediate size kept"},
    {.path = "pruning.hidden", .type = ParamType::integer, .lo = 1, .hi = kMaxOtherDim, .default_note = "none",
     .what = "hidden (embedding) size kept"},

    {.path = "m", .type = ParamType::integer, .lo = 1, .hi = 16'777'216, .what = "rows of A and C (M)",
     .note = "`kind: gemm` (and each entry of `gemms`): rows of A and C"},
    {.path = "n", .type = ParamType::integer, .lo = 1, .hi = 16'777'216, .what = "columns of B and C (N)",
     .note = "columns of B and C"},
    {.path = "k", .type = ParamType::integer, .lo = 1, .hi = 16'777'216, .what = "reduction length (K)",
     .note = "the reduction length"},
    {.path = "gemms", .type = ParamType::map,
     .note = "`kind: gemms`: a list of `{name, m, n, k}`, run in order (name defaults to gemmI)"},

    {.path = "file", .type = ParamType::text, .what = "the .onnx file",
     .note = "`kind: onnx`: the `.onnx` file, relative to this file"},
    {.path = "dims.NAME", .type = ParamType::integer, .lo = 1, .hi = 2'147'483'648, .default_note = "none",
     .what = "a dimension's value", .note = "the value of the graph's symbolic input dimension NAME"},
    {.path = "inputs.NAME", .type = ParamType::text, .default_note = "the graph's",
     .note = "a graph input's whole shape, `1x3x224x224` or `[1, 3, 224, 224]`"},
    {.path = "batch", .type = ParamType::integer, .lo = 1, .hi = 65'536,
     .default_note = "a bound dimension named *batch*, else 1", .what = "inferences per run (the batch)",
     .note = "`kind: onnx`: inferences in one run (energy and carbon per inference divide by it)"},
};

consteval const Param& model_param(std::string_view path) { return find_param(kModelParams, path); }

inline std::span<const Param> model_params() { return kModelParams; }

}  // namespace catsim
