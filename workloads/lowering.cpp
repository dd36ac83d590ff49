#include <algorithm>
#include <string>

#include "arch/checked_math.h"
#include "workloads/imported_graph.h"
#include "workloads/op_graph.h"

namespace catsim {
namespace {

using u64 = std::uint64_t;

// Checked products of non-negative sizes: a shape whose MACs or bytes exceed 64 bits is an OverflowError
// naming the op, never a wrapped count.
template <class... T>
u64 prod(const std::string& what, T... xs) {
  return product_u64(what, xs...);
}
template <class... T>
std::int64_t iprod(const std::string& what, T... xs) {
  std::int64_t r = 1;
  ((r = mul_i64(r, static_cast<std::int64_t>(xs), what)), ...);
  return r;
}
u64 bytes(Precision p, u64 elements, const std::string& what) {
  return add_u64(mul_u64(elements, static_cast<u64>(bits_of(p)), what), 7, what) / 8;
}

// Runs `compute` with checked arithmetic that names nothing; an overflow is rethrown naming the op, the
// name built by `describe` only then (lowering a model builds hundreds of ops, and none overflows).
template <class Describe, class Compute>
void naming_overflow(Describe describe, Compute compute) {
  try {
    compute(std::string());
  } catch (const OverflowError& e) {
    throw OverflowError(describe() + e.what());  // e.what() is ": <detail>" after the empty name
  }
}

// A GEMM of activations (rows x in) with a weight matrix (in x out), plus an optional bias.
Op weight_gemm(const std::string& name, std::int64_t rows, std::int64_t in, std::int64_t out, bool bias,
               const PrecisionSpec& p) {
  Op o;
  o.name = name;
  o.kind = OpKind::gemm;
  o.m = rows, o.k = in, o.n = out;
  o.a_prec = o.out_prec = p.activations;
  o.b_prec = p.weights;
  o.b_is_weight = true;
  o.bias = bias;
  naming_overflow(
      [&] {
        return "MACs and bytes of " + name + " (" + std::to_string(rows) + " x " + std::to_string(in) + " x " +
               std::to_string(out) + ")";
      },
      [&](const std::string& what) {
        o.macs = prod(what, rows, in, out);
        o.a_bytes = bytes(p.activations, prod(what, rows, in), what);
        o.b_bytes = bytes(p.weights, prod(what, in, out), what);
        o.bias_bytes = bias ? prod(what, out, p.accumulator_bits()) / 8 : 0;
        o.out_bytes = bytes(p.activations, prod(what, rows, out), what);
      });
  return o;
}

// Appends ops of one tower to a graph, tracking which op produced the current residual stream.
class TowerLowering {
 public:
  TowerLowering(OpGraph& g, const TowerSpec& t, const WorkloadSpec& w, const PrecisionSpec& p)
      : m_g(g), m_t(t), m_w(w), m_p(p) {
    const std::string what = "tokens of " + (t.name.empty() ? std::string("the model") : t.name) +
                             " (batch x sequence)";
    const std::int64_t side = t.vision ? t.image_size / t.patch_size : 0;
    m_seq = t.vision ? iprod(what, side, side) + 1 : w.seq_len;  // new tokens per sequence (1 in decode)
    m_ctx = w.phase == Phase::decode ? w.kv_len : m_seq;  // keys attended per query
    m_tokens = iprod(what, w.batch, m_seq);
    m_attn_dim = iprod("attention width (heads x head_dim)", t.heads, t.head_dim);
    m_kv_dim = iprod("key/value width (kv_heads x head_dim)", t.kv_heads, t.head_dim);
    m_prefix = t.name.empty() ? "" : t.name + ".";
    m_layer_prefix = m_prefix;
  }

  int run() {
    embeddings();
    for (int l = 0; l < m_t.layers; ++l) layer(l);
    return finale();
  }

 private:
  int push(Op o, std::vector<int> deps) {
    o.tower = m_t.name;
    o.layer = m_layer;
    o.deps = std::move(deps);
    Op& op = m_g.ops.emplace_back(std::move(o));
    op.name.insert(0, m_layer_prefix);
    return static_cast<int>(m_g.ops.size()) - 1;
  }

  int gemm(const std::string& name, std::int64_t rows, std::int64_t in, std::int64_t out, bool bias,
           std::vector<int> deps) {
    return push(weight_gemm(name, rows, in, out, bias, m_p), std::move(deps));
  }

  int vector(const std::string& name, OpKind kind, std::int64_t rows, std::int64_t cols, std::vector<int> deps,
             int inputs = 1) {
    Op o;
    o.name = name;
    o.kind = kind;
    o.m = rows, o.n = cols;
    o.a_prec = o.b_prec = o.out_prec = m_p.activations;
    o.act = m_t.act;
    o.inputs = inputs;
    naming_overflow([&] { return "bytes of " + name + " (" + std::to_string(rows) + " x " + std::to_string(cols) + ")"; },
                    [&](const std::string& what) {
                      o.out_bytes = bytes(m_p.activations, prod(what, rows, cols), what);
                      o.a_bytes = mul_u64(o.out_bytes, static_cast<u64>(inputs), what);
                    });
    return push(std::move(o), std::move(deps));
  }

  int norm(const std::string& name, std::int64_t rows, int dep) {
    return vector(name, m_t.norm == NormKind::layernorm ? OpKind::layernorm : OpKind::rmsnorm, rows, m_t.hidden, {dep});
  }

  void embeddings() {
    const std::int64_t h = m_t.hidden;
    if (m_t.vision) {
      const std::int64_t in = iprod("patch size (channels x patch_size^2)", m_t.channels, m_t.patch_size, m_t.patch_size);
      int patch = gemm("embed.patch", m_tokens - m_w.batch, in, h, m_t.patch_bias, {});
      m_x = vector("embed.position_add", OpKind::add, m_tokens, h, {patch}, 2);
      if (m_t.pre_layernorm) m_x = norm("embed.pre_layernorm", m_tokens, m_x);
      return;
    }
    Op o;
    o.name = "embed.tokens";
    o.kind = OpKind::embedding;
    o.m = m_tokens, o.n = h;
    o.a_prec = o.b_prec = m_p.weights;
    o.out_prec = m_p.activations;
    o.b_is_weight = true;
    const std::int64_t width = m_t.embed_proj ? m_t.embed_proj : h;  // OPT-350m embeds at 512, then projects
    o.n = width;
    const std::string what = "bytes of embed.tokens (" + std::to_string(m_tokens) + " x " + std::to_string(width) + ")";
    o.b_bytes = bytes(m_p.weights, prod(what, m_tokens, width), what);
    o.out_bytes = bytes(m_p.activations, prod(what, m_tokens, width), what);
    m_x = push(std::move(o), {});
    if (m_t.embed_scale) m_x = vector("embed.scale", OpKind::mul, m_tokens, h, {m_x});  // x sqrt(hidden)
    if (m_t.embed_proj) m_x = gemm("embed.project_in", m_tokens, m_t.embed_proj, h, false, {m_x});
    if (m_t.learned_positions) m_x = vector("embed.position_add", OpKind::add, m_tokens, h, {m_x}, 2);
    if (m_t.family == Family::bert || m_t.family == Family::roberta) {
      m_x = vector("embed.position_add", OpKind::add, m_tokens, h, {m_x}, 2);
      m_x = vector("embed.token_type_add", OpKind::add, m_tokens, h, {m_x}, 2);
      m_x = norm("embed.layernorm", m_tokens, m_x);
    } else if (m_t.family == Family::clip) {
      m_x = vector("embed.position_add", OpKind::add, m_tokens, h, {m_x}, 2);
    }
  }

  int kv_transfer(const char* name, OpKind kind, std::int64_t tokens, std::vector<int> deps) {
    Op o;
    o.name = name;
    o.kind = kind;
    o.m = tokens, o.n = iprod("key/value width", 2, m_kv_dim);
    o.a_prec = o.b_prec = o.out_prec = m_p.kv_cache;
    naming_overflow([&] { return std::string("bytes of ") + name + " (" + std::to_string(tokens) + " tokens)"; },
                    [&](const std::string& what) {
                      u64& moved = kind == OpKind::kv_read ? o.b_bytes : o.out_bytes;
                      moved = bytes(m_p.kv_cache, prod(what, tokens, o.n), what);
                    });
    return push(std::move(o), std::move(deps));
  }

  int bmm(const char* name, std::int64_t m, std::int64_t k, std::int64_t n, Precision b_prec, std::vector<int> deps) {
    Op o;
    o.name = name;
    o.kind = OpKind::batched_matmul;
    o.m = m, o.k = k, o.n = n;
    o.a_prec = o.out_prec = m_p.activations;
    o.b_prec = b_prec;
    naming_overflow(
        [&] {
          return std::string("MACs and bytes of ") + name + " (batch x heads x " + std::to_string(m) + " x " +
                 std::to_string(k) + " x " + std::to_string(n) + ")";
        },
        [&](const std::string& what) {
          o.count = iprod(what, m_w.batch, m_t.heads);
          o.b_count = iprod(what, m_w.batch, m_t.kv_heads);  // GQA: query heads of a group share one K/V
          o.macs = prod(what, o.count, m, k, n);
          o.a_bytes = bytes(m_p.activations, prod(what, o.count, m, k), what);
          o.b_bytes = bytes(b_prec, prod(what, o.b_count, k, n), what);
          o.out_bytes = bytes(m_p.activations, prod(what, o.count, m, n), what);
        });
    return push(std::move(o), std::move(deps));
  }

  // Keys a query of the current layer attends to: every key, or on a windowed layer the last
  // sliding_window of them (the parser keeps a prefill within the window).
  std::int64_t layer_ctx() const {
    return m_t.windowed(m_layer) ? std::min(m_ctx, m_t.sliding_window) : m_ctx;
  }

  // A causal decoder's new tokens follow ctx - m_seq cached ones: the last query sees every key.
  void mask(int op, CausalKeys keys, std::int64_t ctx) {
    m_g.ops[op].causal = keys;
    m_g.ops[op].causal_offset = ctx - m_seq;
  }

  void attention() {
    const std::int64_t h = m_t.hidden, T = m_tokens;
    int in = m_t.pre_norm ? norm("attn.norm", T, m_x) : m_x;
    int q = gemm("attn.q_proj", T, h, m_attn_dim, m_t.qkv_bias, {in});
    int k = gemm("attn.k_proj", T, h, m_kv_dim, m_t.qkv_bias, {in});
    int v = gemm("attn.v_proj", T, h, m_kv_dim, m_t.qkv_bias, {in});
    int keys = k, values = v;
    Precision kv_prec = m_p.activations;
    const std::int64_t ctx = layer_ctx();
    if (m_t.causal) {
      kv_prec = m_p.kv_cache;
      int wr = kv_transfer("attn.kv_write", OpKind::kv_write, T, {k, v});
      keys = values = wr;
      if (m_w.phase == Phase::decode)
        keys = values = kv_transfer("attn.kv_read", OpKind::kv_read, iprod("decode context (batch x kv_len)", m_w.batch, ctx), {wr});
    }
    int qk = bmm("attn.qk", m_seq, m_t.head_dim, ctx, kv_prec, {q, keys});
    if (m_t.causal) mask(qk, CausalKeys::n, ctx);
    if (m_t.attn_softcap) {  // Gemma 2: scores -> cap * tanh(scores / cap), one pass of tanh over the scores
      qk = vector("attn.softcap", OpKind::activation, iprod("softcap rows (batch x heads x tokens)", m_w.batch, m_t.heads, m_seq),
                  ctx, {qk});
      m_g.ops[qk].act = Activation::tanh;
    }
    int sm = vector("attn.softmax", OpKind::softmax, iprod("softmax rows (batch x heads x tokens)", m_w.batch, m_t.heads, m_seq),
                    ctx, {qk});
    int av = bmm("attn.av", m_seq, ctx, m_t.head_dim, kv_prec, {sm, values});
    if (m_t.causal) mask(av, CausalKeys::k, ctx);
    int o = gemm("attn.o_proj", T, m_attn_dim, h, m_t.o_bias, {av});
    if (m_t.sandwich_norm) o = norm("attn.post_norm", T, o);
    m_x = vector("attn.residual_add", OpKind::add, T, h, {o, m_x}, 2);
    if (!m_t.pre_norm) m_x = norm("attn.norm", T, m_x);
  }

  // One FFN over `rows` tokens (names prefixed by `name`, e.g. "ffn." or "ffn.expert3.").
  int dense_ffn(const std::string& name, std::int64_t rows, int in, std::int64_t f) {
    const std::int64_t h = m_t.hidden;
    int up = gemm(name + "up", rows, h, f, m_t.mlp_bias, {in});
    int act;
    if (m_t.gated_ffn) {
      int gate = gemm(name + "gate", rows, h, f, m_t.mlp_bias, {in});
      int a = vector(name + "act", OpKind::activation, rows, f, {gate});
      act = vector(name + "gate_mul", OpKind::mul, rows, f, {a, up}, 2);
    } else {
      act = vector(name + "act", OpKind::activation, rows, f, {up});
    }
    return gemm(name + "down", rows, f, h, m_t.mlp_bias, {act});
  }

  // Mixture of experts. Routing assumption: the T x k token-to-expert assignments spread evenly over
  // min(experts, T x k) experts (the first T x k mod active get one more token). Only those experts run
  // and only their weights are read; every expert still counts for parameters and DRAM capacity.
  int moe_ffn(std::int64_t T, int in) {
    const std::int64_t E = m_t.experts, k = m_t.experts_per_token, h = m_t.hidden;
    int router = gemm("ffn.router", T, h, E, false, {in});
    int route = vector("ffn.route", OpKind::softmax, T, E, {router});  // softmax over E scores, top-k picked
    const std::int64_t assignments = T * k, active = std::min(E, assignments);
    std::vector<int> outs;
    for (std::int64_t e = 0; e < active; ++e) {
      const std::int64_t rows = assignments / active + (e < assignments % active ? 1 : 0);
      outs.push_back(dense_ffn("ffn.expert" + std::to_string(e) + ".", rows, route, m_t.expert_ffn ? m_t.expert_ffn : m_t.ffn));
    }
    if (m_t.shared_expert_ffn) {  // Qwen2-MoE: every token also runs the shared expert, scaled by a sigmoid gate
      const int shared = dense_ffn("ffn.shared_expert.", T, in, m_t.shared_expert_ffn);
      const int gate = gemm("ffn.shared_expert_gate", T, h, 1, false, {in});
      outs.push_back(vector("ffn.shared_expert_scale", OpKind::mul, T, h, {shared, gate}, 1));
    }
    // Each token's k expert outputs are scaled by their routing weights and summed: k inputs of T x h.
    return vector("ffn.combine", OpKind::add, T, h, outs, static_cast<int>(outs.size()));
  }

  void ffn() {
    const std::int64_t h = m_t.hidden, T = m_tokens;
    int in = m_t.pre_norm ? norm("ffn.norm", T, m_x) : m_x;
    int down = m_t.moe() ? moe_ffn(T, in) : dense_ffn("ffn.", T, in, m_t.ffn);
    if (m_t.sandwich_norm) down = norm("ffn.post_norm", T, down);
    m_x = vector("ffn.residual_add", OpKind::add, T, h, {down, m_x}, 2);
    if (!m_t.pre_norm) m_x = norm("ffn.norm", T, m_x);
  }

  void layer(int l) {
    m_layer = l;
    m_layer_prefix = m_prefix + "L" + std::to_string(l) + ".";
    attention();
    ffn();
    m_layer = -1;
    m_layer_prefix = m_prefix;
  }

  // Final norm, pooler / LM head. Returns the op producing the tower's output.
  int finale() {
    const std::int64_t h = m_t.hidden, B = m_w.batch;
    if (m_t.family == Family::clip && m_t.vision) return norm("post_layernorm", B, m_x);  // on the pooled CLS
    if (m_t.pre_norm) m_x = norm("final_norm", m_tokens, m_x);
    if (m_t.pooler) {
      int d = gemm("pooler.dense", B, h, h, true, {m_x});
      int t = vector("pooler.tanh", OpKind::activation, B, h, {d});
      m_g.ops[t].act = Activation::tanh;
      return t;
    }
    if (m_t.embed_proj) m_x = gemm("project_out", B, h, m_t.embed_proj, false, {m_x});  // OPT, last token
    if (m_t.lm_head)  // logits of the last token
      return gemm("lm_head", B, m_t.embed_proj ? m_t.embed_proj : h, m_t.vocab, false, {m_x});
    return m_x;
  }

  OpGraph& m_g;
  const TowerSpec& m_t;
  const WorkloadSpec& m_w;
  const PrecisionSpec& m_p;
  std::int64_t m_seq = 0, m_ctx = 0, m_tokens = 0, m_attn_dim = 0, m_kv_dim = 0;
  std::string m_prefix;
  std::string m_layer_prefix;  // what an op's name starts with: the tower, then the layer ("text.L3.")
  int m_layer = -1;
  int m_x = -1;
};

// An imported graph's ops at their precisions: the graph's tensor types (set by the importer) when the model
// gives none, else the model's — weights as given, everything computed in the run at the activation precision.
void lower_imported(const ModelSpec& m, OpGraph& g) {
  const PrecisionSpec& p = m.precision;
  g.ops = m.imported->ops;
  for (Op& o : g.ops) {
    naming_overflow([&] { return "bytes of " + o.name + " (" + o.shape() + ")"; }, [&](const std::string& what) {
      if (!m.graph_precisions) {
        o.a_prec = o.kind == OpKind::embedding ? p.weights : p.activations;  // a gather reads stored rows
        o.out_prec = p.activations;
        o.b_prec = o.b_is_weight ? p.weights : p.activations;
      }
      if (is_matmul(o.kind)) {
        o.a_bytes = bytes(o.a_prec, prod(what, o.count, o.m, o.k), what);
        o.b_bytes = bytes(o.b_prec, prod(what, o.b_count, o.k, o.n), what);
        o.bias_bytes = o.bias ? prod(what, o.b_count, o.n, p.accumulator_bits()) / 8 : 0;
        o.out_bytes = bytes(o.out_prec, prod(what, o.count, o.m, o.n), what);
      } else if (o.kind == OpKind::embedding) {
        o.b_bytes = bytes(o.a_prec, prod(what, o.m, o.n), what);
        o.out_bytes = bytes(o.out_prec, prod(what, o.m, o.n), what);
      } else {  // a vector op reads `inputs` rows of n and writes n (a reduction: out_cols) per row
        o.a_bytes = mul_u64(bytes(o.a_prec, prod(what, o.count, o.m, o.n), what), static_cast<u64>(o.inputs), what);
        o.out_bytes = bytes(o.out_prec, prod(what, o.count, o.m, o.out_cols > 0 ? o.out_cols : o.n), what);
      }
    });
  }
}

void lower_gemms(const ModelSpec& m, OpGraph& g) {
  for (const auto& s : m.gemms) g.ops.push_back(weight_gemm(s.name, s.m, s.k, s.n, false, m.precision));
}

}  // namespace

OpGraph lower(const ModelSpec& m) {
  OpGraph g;
  if (m.is_gemm_list()) {
    lower_gemms(m, g);
    return g;
  }
  if (m.is_imported()) {
    lower_imported(m, g);
    return g;
  }
  // Room for the usual ops per layer up front: an op is a few hundred bytes, and growing the vector moves
  // every op lowered so far.
  std::size_t expected = 8;
  for (const auto& t : m.towers) expected += 16 + static_cast<std::size_t>(t.layers) * 32;
  g.ops.reserve(expected);
  std::vector<int> outputs;
  for (const auto& t : m.towers) {
    TowerLowering tl(g, t, m.workload, m.precision);
    outputs.push_back(tl.run());
    if (t.causal) {
      // The cache the workload fills: a generation keeps prompt and every generated token.
      const std::int64_t ctx = m.workload.phase == Phase::decode     ? m.workload.kv_len
                               : m.workload.phase == Phase::generate ? iprod("generation context (prompt_len + gen_len)",
                                                                             1, m.workload.prompt_len + m.workload.gen_len)
                                                                     : m.workload.seq_len;
      // A windowed layer keeps only its window's tokens.
      const std::int64_t windowed = t.sliding_window == 0 ? 0 : t.window_even_layers_only ? (t.layers + 1) / 2 : t.layers;
      const std::int64_t window_ctx = windowed > 0 ? std::min(ctx, t.sliding_window) : 0;
      const std::string what = "KV-cache bytes (layers x batch x context x 2 x kv width)";
      for (const auto& [layers, tokens] : {std::pair{t.layers - windowed, ctx}, std::pair{windowed, window_ctx}})
        g.kv_cache_bytes = add_u64(
            g.kv_cache_bytes,
            bytes(m.precision.kv_cache, prod(what, layers, m.workload.batch, tokens, 2, t.kv_heads, t.head_dim), what), what);
    }
  }
  if (m.family == Family::clip) {
    for (std::size_t i = 0; i < m.towers.size(); ++i) {
      const TowerSpec& t = m.towers[i];
      Op o = weight_gemm(t.vision ? "visual_projection" : "text_projection", m.workload.batch, t.hidden,
                         m.projection_dim, false, m.precision);
      o.deps = {outputs[i]};
      g.ops.push_back(std::move(o));
    }
  }
  return g;
}

}  // namespace catsim
