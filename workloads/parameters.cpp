#include "workloads/parameters.h"

#include "workloads/imported_graph.h"

#include "arch/checked_math.h"

namespace catsim {
namespace {

constexpr std::string_view kWhat = "parameter count";

// Checked products and sums: a model too large for 64-bit counts is an OverflowError, never a wrap.
template <class... T>
std::int64_t mul(T... xs) {
  std::int64_t r = 1;
  ((r = mul_i64(r, static_cast<std::int64_t>(xs), kWhat)), ...);
  return r;
}
template <class... T>
std::int64_t sum(T... xs) {
  std::int64_t r = 0;
  ((r = add_i64(r, static_cast<std::int64_t>(xs), kWhat)), ...);
  return r;
}

std::int64_t norm_params(const TowerSpec& t, std::int64_t dim) {
  return t.norm == NormKind::layernorm ? mul(2, dim) : dim;
}

std::int64_t linear(std::int64_t in, std::int64_t out, bool bias) { return sum(mul(in, out), bias ? out : 0); }

std::int64_t embedding_params(const TowerSpec& t) {
  const std::int64_t h = t.hidden;
  if (t.vision) {
    const std::int64_t side = t.image_size / t.patch_size;
    std::int64_t patch = sum(mul(t.channels, t.patch_size, t.patch_size, h), t.patch_bias ? h : 0);
    std::int64_t cls_and_pos = sum(h, mul(sum(mul(side, side), 1), h));
    return sum(patch, cls_and_pos, t.pre_layernorm ? mul(2, h) : 0);
  }
  std::int64_t e = mul(t.vocab, t.embed_proj ? t.embed_proj : h);
  if (t.learned_positions) e = sum(e, mul(sum(t.max_positions, t.position_offset), h));
  if (t.embed_proj) e = sum(e, mul(2, t.embed_proj, h));  // OPT project_in and project_out, no bias
  if (t.family == Family::bert || t.family == Family::roberta)
    e = sum(e, mul(t.max_positions, h), mul(t.type_vocab, h), mul(2, h));  // positions, token types, LayerNorm
  else if (t.family == Family::clip)
    e = sum(e, mul(t.max_positions, h));  // learned positions
  return e;
}

std::int64_t attention_params(const TowerSpec& t) {
  const std::int64_t h = t.hidden;
  const std::int64_t attn = mul(t.heads, t.head_dim), kv = mul(t.kv_heads, t.head_dim);
  return sum(linear(h, attn, t.qkv_bias), mul(2, linear(h, kv, t.qkv_bias)), linear(attn, h, t.o_bias));
}

// One FFN of intermediate size f.
std::int64_t dense_ffn_params(const TowerSpec& t, std::int64_t f) {
  const std::int64_t h = t.hidden;
  return sum(mul(linear(h, f, t.mlp_bias), t.gated_ffn ? 2 : 1), linear(f, h, t.mlp_bias));
}

std::int64_t ffn_params(const TowerSpec& t) {
  const std::int64_t h = t.hidden;
  if (!t.moe()) return dense_ffn_params(t, t.ffn);
  // Every expert counts (capacity and parameters), plus the router's h x experts matrix (no bias) and a
  // shared expert with its h x 1 gate.
  const std::int64_t shared = t.shared_expert_ffn ? sum(dense_ffn_params(t, t.shared_expert_ffn), h) : 0;
  return sum(mul(t.experts, dense_ffn_params(t, t.expert_ffn ? t.expert_ffn : t.ffn)), mul(h, t.experts), shared);
}

void add(ParameterCount& pc, std::string prefix, const char* name, std::int64_t n) {
  if (n > 0) pc.components.push_back({prefix + name, n});
}

void tower_components(const TowerSpec& t, ParameterCount& pc, const std::string& prefix) {
  const std::int64_t h = t.hidden;
  add(pc, prefix, "embeddings", embedding_params(t));
  add(pc, prefix, "layers.attention", mul(t.layers, attention_params(t)));
  add(pc, prefix, "layers.ffn", mul(t.layers, ffn_params(t)));
  add(pc, prefix, "layers.norms", mul(t.layers, t.sandwich_norm ? 4 : 2, norm_params(t, h)));
  bool final_norm = t.pre_norm;  // pre-norm stacks end with a norm (CLIP text: final_layer_norm)
  add(pc, prefix, "final_norm", final_norm ? norm_params(t, h) : 0);
  add(pc, prefix, "pooler", t.pooler ? linear(h, h, true) : 0);
  add(pc, prefix, "lm_head", t.lm_head && !t.tie_embeddings ? mul(t.vocab, t.embed_proj ? t.embed_proj : h) : 0);
}

}  // namespace

std::int64_t ParameterCount::total() const {
  std::int64_t s = 0;
  for (const auto& c : components) s = sum(s, c.count);
  return s;
}

ParameterCount count_tower_parameters(const TowerSpec& t) {
  ParameterCount pc;
  tower_components(t, pc, "");
  return pc;
}

ParameterCount count_parameters(const ModelSpec& m) {
  ParameterCount pc;
  if (m.is_imported()) {  // as the exporter stored them: every initializer and Constant node's elements
    pc.components.push_back({"initializers_and_constants", m.imported->parameter_elements});
    return pc;
  }
  if (m.is_gemm_list()) {
    for (const auto& g : m.gemms) pc.components.push_back({g.name, mul(g.k, g.n)});
    return pc;
  }
  for (const auto& t : m.towers) tower_components(t, pc, t.name.empty() ? "" : t.name + ".");
  if (m.family == Family::clip) {
    const TowerSpec* text = m.tower("text");
    const TowerSpec* vision = m.tower("vision");
    pc.components.push_back({"text_projection", mul(text->hidden, m.projection_dim)});
    pc.components.push_back({"visual_projection", mul(vision->hidden, m.projection_dim)});
    pc.components.push_back({"logit_scale", 1});
  }
  return pc;
}

std::uint64_t weight_bytes(const ModelSpec& m) {
  const auto params = static_cast<std::uint64_t>(count_parameters(m).total());
  return add_u64(mul_u64(params, static_cast<std::uint64_t>(bits_of(m.precision.weights)), "weight bits"), 7,
                 "weight bits") / 8;
}

}  // namespace catsim
