#include "workloads/hf_config.h"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "arch/config/config_node.h"
#include "arch/config/error.h"
#include "arch/io/input_file.h"
#include "workloads/dim_limits.h"
#include "workloads/family.h"
#include "workloads/hf_keys.h"

namespace catsim {
namespace {

using nlohmann::json;

// The raw text of a config.json, to turn a key into a line:column (nlohmann::json keeps no positions).
struct JsonSource {
  std::string file;
  std::string text;

  std::size_t find_key(const std::string& key, std::size_t from) const {
    std::size_t pos = text.find("\"" + key + "\"", from);
    return pos == std::string::npos ? from : pos;
  }
  SourceLocation locate(std::size_t pos) const {
    if (pos == 0 || pos >= text.size()) return {file, 0, 0};
    const std::size_t line_start = text.rfind('\n', pos);
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
    const int col = static_cast<int>(pos - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
    return {file, line, col};
  }
};

// Typed access to one JSON object; every problem names the file, line:column and the key.
class JsonView {
 public:
  JsonView(const json& j, const JsonSource& src, std::string prefix, std::size_t base = 0,
           std::shared_ptr<std::set<std::string>> asked = std::make_shared<std::set<std::string>>(),
           std::shared_ptr<std::string> foreign = std::make_shared<std::string>())
      : m_j(j), m_src(src), m_prefix(std::move(prefix)), m_base(base), m_asked(std::move(asked)),
        m_foreign(std::move(foreign)) {}

  // From now on (in this object and every one inside it), a missing dimension is an error instead of the
  // family's default: the config's own class is not of the family its model_type names (`why` says so).
  void refuse_defaults(const std::string& why) const { *m_foreign = why; }

  // A positive integer; `fallback` when absent (0: derived from other keys by the caller).
  std::int64_t positive(const char* key, std::int64_t fallback) const {
    m_asked->insert(path(key));
    if (!m_j.contains(key) || m_j[key].is_null()) {
      if (fallback != 0 && !m_foreign->empty()) fail(key, "missing; " + *m_foreign);
      return fallback;
    }
    const json& v = m_j[key];
    if (!v.is_number_integer()) fail(key, "expected an integer, got " + std::string(v.type_name()));
    const DimRange r = dim_range(key);
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(r.hi))
      fail(key, "out of range, got " + v.dump() + " (expected " + std::to_string(r.lo) + ".." + std::to_string(r.hi) + ")");
    std::int64_t x = v.get<std::int64_t>();
    if (x <= 0) fail(key, "must be positive, got " + std::to_string(x));
    if (x > r.hi) fail(key, "out of range, got " + std::to_string(x) + " (expected 1.." + std::to_string(r.hi) + ")");
    return x;
  }
  bool flag(const char* key, bool fallback) const {
    m_asked->insert(path(key));
    if (!m_j.contains(key) || m_j[key].is_null()) return fallback;
    if (!m_j[key].is_boolean()) fail(key, "expected true or false, got " + std::string(m_j[key].type_name()));
    return m_j[key].get<bool>();
  }
  std::string text(const char* key, const std::string& fallback) const {
    m_asked->insert(path(key));
    if (!m_j.contains(key) || m_j[key].is_null()) return fallback;
    if (!m_j[key].is_string()) fail(key, "expected a string, got " + std::string(m_j[key].type_name()));
    return m_j[key].get<std::string>();
  }
  JsonView object(const char* key) const {
    m_asked->insert(path(key));
    if (!m_j.contains(key) || m_j[key].is_null()) return JsonView(s_empty, m_src, path(key), m_base, m_asked, m_foreign);
    if (!m_j[key].is_object()) fail(key, "expected an object");
    return JsonView(m_j[key], m_src, path(key), m_src.find_key(key, m_base), m_asked, m_foreign);
  }
  // Marks a key as read when it is checked on the raw JSON (e.g. an array).
  void known(const char* key) const { m_asked->insert(path(key)); }
  // Whether a numeric setting is on: `if_absent` when the key is missing, false when null, true for a number.
  bool has_number(const char* key, bool if_absent) const {
    m_asked->insert(path(key));
    if (!m_j.contains(key)) return if_absent;
    if (m_j[key].is_null()) return false;
    if (!m_j[key].is_number()) fail(key, "expected a number or null, got " + std::string(m_j[key].type_name()));
    return true;
  }
  // A warning per key of this object that no reader asked for and that is not known to be without effect,
  // with the closest asked-for key as a guess: the first kNamedUnknownKeys of them by name and place, the
  // rest counted in one more line (locating a key scans the text, so naming every one would be quadratic).
  void unknown_keys(std::vector<std::string>& warnings) const {
    constexpr std::size_t kNamedUnknownKeys = 5;
    std::vector<std::string> asked_here;
    const std::string pre = m_prefix.empty() ? "" : m_prefix + ".";
    for (const auto& a : *m_asked)
      if (a.rfind(pre, 0) == 0 && a.find('.', pre.size()) == std::string::npos) asked_here.push_back(a.substr(pre.size()));
    std::size_t unknown = 0;
    for (const auto& [key, value] : m_j.items()) {
      if (m_asked->count(path(key.c_str())) || hf_key_without_effect(key)) continue;
      if (++unknown > kNamedUnknownKeys) continue;
      const std::string guess = closest_match(key, asked_here);
      const SourceLocation at = m_src.locate(m_src.find_key(key, m_base));
      warnings.push_back(ConfigError(at, path(key.c_str()),
                                     "warning: unknown key, ignored" +
                                         (guess.empty() ? std::string() : " (did you mean '" + guess + "'?)"))
                             .what());
    }
    if (unknown > kNamedUnknownKeys)
      warnings.push_back(ConfigError(m_src.locate(m_base), m_prefix,
                                     "warning: " + std::to_string(unknown - kNamedUnknownKeys) +
                                         " more unknown keys, ignored")
                             .what());
  }
  [[noreturn]] void fail(const char* key, const std::string& what) const {
    const bool present = m_j.contains(key);
    throw ConfigError(present ? m_src.locate(m_src.find_key(key, m_base)) : m_src.locate(m_base), path(key), what);
  }

 private:
  std::string path(const char* key) const { return m_prefix.empty() ? key : m_prefix + "." + key; }
  static inline const json s_empty = json::object();
  const json& m_j;
  const JsonSource& m_src;
  std::string m_prefix;
  std::size_t m_base;  // offset of this object in the text: keys are searched from here
  std::shared_ptr<std::set<std::string>> m_asked;  // dotted paths of every key a reader asked for
  std::shared_ptr<std::string> m_foreign;          // why the family's defaults do not apply ("": they do)
};

// The class names (config.json's `architectures`) of each model_type's own models: LlamaForCausalLM for
// llama, Qwen2MoeForCausalLM (not Qwen2...) for qwen2_moe.
bool class_of_family(const std::string& cls, Family f) {
  auto starts = [&](const char* prefix) { return cls.rfind(prefix, 0) == 0; };
  switch (f) {
    case Family::bert: return starts("Bert");
    case Family::roberta: return starts("Roberta");
    case Family::vit: return starts("ViT");
    case Family::llama: return starts("Llama");
    case Family::mistral: return starts("Mistral");
    case Family::qwen2: return starts("Qwen2") && !starts("Qwen2Moe");
    case Family::clip: return starts("CLIP");
    case Family::gpt2: return starts("GPT2");
    case Family::opt: return starts("OPT");
    case Family::phi3: return starts("Phi3");
    case Family::gemma2: return starts("Gemma2");
    case Family::mixtral: return starts("Mixtral");
    case Family::qwen2_moe: return starts("Qwen2Moe");
    case Family::gemm:
    case Family::onnx: return false;
  }
  return false;
}

// sliding_window: the keys a query attends to on the windowed layers; null: every key; absent: the config
// class's default (`class_default`, 0 for none).
void read_window(const JsonView& v, TowerSpec& t, std::int64_t class_default, bool even_layers_only) {
  if (v.has_number("sliding_window", class_default > 0)) t.sliding_window = v.positive("sliding_window", class_default);
  t.window_even_layers_only = even_layers_only;
}

// Qwen2's sliding window applies only with use_sliding_window (off in every released config) to a range of
// layers (max_window_layers) that catsim does not model: refused when on.
void refuse_qwen_window(const JsonView& v) {
  v.known("sliding_window");
  v.known("max_window_layers");
  if (v.flag("use_sliding_window", false))
    v.fail("use_sliding_window", "Qwen2's per-layer sliding window is not modelled (expected false)");
}

Activation activation(const JsonView& v, const char* fallback) {
  std::string s = v.text("hidden_act", fallback);
  auto a = parse_activation(s);
  if (!a) v.fail("hidden_act", "unsupported activation '" + s + "' (expected gelu, gelu_new, quick_gelu, silu or relu)");
  return *a;
}

// BERT/RoBERTa (BertConfig defaults) and ViT (ViTConfig defaults).
TowerSpec encoder(Family f, const JsonView& v) {
  TowerSpec t = family_conventions(f);
  t.hidden = v.positive("hidden_size", 768);
  t.layers = v.positive("num_hidden_layers", 12);
  t.heads = v.positive("num_attention_heads", 12);
  t.ffn = v.positive("intermediate_size", 3072);
  t.act = activation(v, "gelu");
  if (f == Family::vit) {
    t.image_size = v.positive("image_size", 224);
    t.patch_size = v.positive("patch_size", 16);
    t.channels = v.positive("num_channels", 3);
    t.qkv_bias = v.flag("qkv_bias", true);
  } else {
    t.vocab = v.positive("vocab_size", 30522);
    t.max_positions = v.positive("max_position_embeddings", 512);
    t.type_vocab = v.positive("type_vocab_size", t.type_vocab);
  }
  return t;
}

// Llama / Mistral / Qwen2 (LlamaConfig, MistralConfig, Qwen2Config defaults).
TowerSpec decoder(Family f, const JsonView& v) {
  TowerSpec t = family_conventions(f);
  t.hidden = v.positive("hidden_size", 4096);
  t.layers = v.positive("num_hidden_layers", 32);
  t.heads = v.positive("num_attention_heads", 32);
  t.kv_heads = v.positive("num_key_value_heads", f == Family::mistral ? 8 : t.heads);
  t.ffn = v.positive("intermediate_size", f == Family::mistral ? 14336 : (f == Family::qwen2 ? 22016 : 11008));
  t.vocab = v.positive("vocab_size", f == Family::qwen2 ? 151936 : 32000);
  t.max_positions = v.positive("max_position_embeddings", f == Family::llama ? 2048 : 32768);
  t.tie_embeddings = v.flag("tie_word_embeddings", false);
  t.act = activation(v, "silu");
  if (f == Family::llama) {
    bool bias = v.flag("attention_bias", false);
    t.qkv_bias = t.o_bias = bias;
    t.mlp_bias = v.flag("mlp_bias", false);
  }
  t.head_dim = v.positive("head_dim", 0);  // 0: derived from hidden_size / num_attention_heads below
  if (f == Family::mistral) read_window(v, t, 4096, false);  // MistralConfig's default
  if (f == Family::qwen2) refuse_qwen_window(v);
  return t;
}

// GPT-2 (GPT2Config defaults: n_embd 768, n_layer 12, n_head 12, n_inner 4 x n_embd, n_positions 1024).
TowerSpec gpt2(const JsonView& v) {
  TowerSpec t = family_conventions(Family::gpt2);
  t.hidden = v.positive("n_embd", 768);
  t.layers = v.positive("n_layer", 12);
  t.heads = v.positive("n_head", 12);
  t.ffn = v.positive("n_inner", 4 * t.hidden);
  t.vocab = v.positive("vocab_size", 50257);
  t.max_positions = v.positive("n_positions", 1024);
  t.tie_embeddings = v.flag("tie_word_embeddings", true);
  std::string act = v.text("activation_function", "gelu_new");
  auto a = parse_activation(act);
  if (!a) v.fail("activation_function", "unsupported activation '" + act + "' (expected gelu_new, gelu, relu or silu)");
  t.act = *a;
  return t;
}

// OPT (OPTConfig defaults: hidden 768, 12 layers, ffn_dim 3072, 2048 positions, pre-norm, ReLU).
TowerSpec opt(const JsonView& v) {
  TowerSpec t = family_conventions(Family::opt);
  t.hidden = v.positive("hidden_size", 768);
  t.layers = v.positive("num_hidden_layers", 12);
  t.heads = v.positive("num_attention_heads", 12);
  t.ffn = v.positive("ffn_dim", 3072);
  t.vocab = v.positive("vocab_size", 50272);
  t.max_positions = v.positive("max_position_embeddings", 2048);
  t.pre_norm = v.flag("do_layer_norm_before", true);
  const std::int64_t proj = v.positive("word_embed_proj_dim", t.hidden);
  t.embed_proj = proj == t.hidden ? 0 : proj;
  const bool bias = v.flag("enable_bias", true);
  t.qkv_bias = t.o_bias = t.mlp_bias = bias;
  t.tie_embeddings = v.flag("tie_word_embeddings", true);
  std::string act = v.text("activation_function", "relu");
  auto a = parse_activation(act);
  if (!a) v.fail("activation_function", "unsupported activation '" + act + "' (expected relu, gelu or silu)");
  t.act = *a;
  return t;
}

// Phi-3, Gemma 2 and Mixtral: Llama-style decoders with their config classes' defaults (Phi3Config,
// Gemma2Config, MixtralConfig); Gemma 2 adds sandwich norms and soft-capping, Mixtral routed experts.
TowerSpec modern_decoder(Family f, const JsonView& v) {
  TowerSpec t = family_conventions(f);
  const bool gemma = f == Family::gemma2, mixtral = f == Family::mixtral;
  t.hidden = v.positive("hidden_size", gemma ? 2304 : mixtral ? 4096 : 3072);
  t.layers = v.positive("num_hidden_layers", gemma ? 26 : 32);
  t.heads = v.positive("num_attention_heads", gemma ? 8 : 32);
  t.kv_heads = v.positive("num_key_value_heads", gemma ? 4 : mixtral ? 8 : t.heads);
  t.ffn = v.positive("intermediate_size", gemma ? 9216 : mixtral ? 14336 : 8192);
  t.vocab = v.positive("vocab_size", gemma ? 256000 : mixtral ? 32000 : 32064);
  t.max_positions = v.positive("max_position_embeddings", gemma ? 8192 : mixtral ? 131072 : 4096);
  t.tie_embeddings = v.flag("tie_word_embeddings", gemma);
  t.head_dim = v.positive("head_dim", gemma ? 256 : 0);
  const bool bias = v.flag("attention_bias", false);
  t.qkv_bias = t.o_bias = bias;
  if (gemma) {
    // Gemma2Config reads hidden_activation; checkpoints also carry hidden_act with the same value.
    std::string act = v.text("hidden_activation", v.text("hidden_act", "gelu_pytorch_tanh"));
    auto a = parse_activation(act);
    if (!a) v.fail("hidden_activation", "unsupported activation '" + act + "' (expected gelu_pytorch_tanh or gelu)");
    t.act = *a;
    t.attn_softcap = v.has_number("attn_logit_softcapping", true);  // Gemma2Config's default: 50.0
    v.has_number("final_logit_softcapping", true);
    read_window(v, t, 4096, true);  // Gemma2Config's default; its even layers are the windowed ones
    v.known("sliding_window_size");  // an older name some checkpoints repeat it under
  } else {
    t.act = activation(v, "silu");
    read_window(v, t, 0, false);  // Phi3Config's and MixtralConfig's default: none
  }
  if (mixtral) {
    t.experts = v.positive("num_local_experts", 8);
    t.experts_per_token = v.positive("num_experts_per_tok", 2);
    if (t.experts_per_token > t.experts)
      v.fail("num_experts_per_tok", "routes each token to " + std::to_string(t.experts_per_token) +
                                        " experts, more than num_local_experts " + std::to_string(t.experts));
  }
  return t;
}

// Qwen2-MoE (Qwen2MoeConfig defaults: Qwen1.5-MoE-A2.7B): 60 routed experts of 1408, top-4, plus a shared
// expert of 5632 behind a sigmoid gate, in every layer (mixed dense/sparse stacks are refused).
TowerSpec qwen2_moe(const JsonView& v, const json& j) {
  TowerSpec t = family_conventions(Family::qwen2_moe);
  t.hidden = v.positive("hidden_size", 2048);
  t.layers = v.positive("num_hidden_layers", 24);
  t.heads = v.positive("num_attention_heads", 16);
  t.kv_heads = v.positive("num_key_value_heads", t.heads);
  t.ffn = v.positive("intermediate_size", 5632);
  t.vocab = v.positive("vocab_size", 151936);
  t.max_positions = v.positive("max_position_embeddings", 32768);
  t.tie_embeddings = v.flag("tie_word_embeddings", false);
  t.act = activation(v, "silu");
  refuse_qwen_window(v);
  t.experts = v.positive("num_experts", 60);
  t.experts_per_token = v.positive("num_experts_per_tok", 4);
  t.expert_ffn = v.positive("moe_intermediate_size", 1408);
  t.shared_expert_ffn = v.positive("shared_expert_intermediate_size", 5632);
  if (v.positive("decoder_sparse_step", 1) != 1)
    v.fail("decoder_sparse_step", "only 1 is supported (every layer sparse)");
  v.flag("norm_topk_prob", false);
  if (j.contains("mlp_only_layers") && !(j["mlp_only_layers"].is_array() && j["mlp_only_layers"].empty()))
    v.fail("mlp_only_layers", "dense layers inside a MoE stack are not supported (expected [])");
  v.known("mlp_only_layers");
  if (t.experts_per_token > t.experts)
    v.fail("num_experts_per_tok", "routes each token to more experts than num_experts " + std::to_string(t.experts));
  return t;
}

TowerSpec clip_tower(const JsonView& v, bool vision) {
  TowerSpec t = family_conventions(Family::clip, vision ? "vision" : "text");
  t.hidden = v.positive("hidden_size", vision ? 768 : 512);
  t.layers = v.positive("num_hidden_layers", 12);
  t.heads = v.positive("num_attention_heads", vision ? 12 : 8);
  t.ffn = v.positive("intermediate_size", vision ? 3072 : 2048);
  t.act = activation(v, "quick_gelu");
  // The tower's own projection_dim (CLIP*ModelWithProjection's) is not CLIPModel's, which the top level
  // sets; it is still range-checked, so that no value in the file is taken without a check.
  (void)v.positive("projection_dim", 512);
  if (vision) {
    t.image_size = v.positive("image_size", 224);
    t.patch_size = v.positive("patch_size", 32);
    t.channels = v.positive("num_channels", 3);
  } else {
    t.vocab = v.positive("vocab_size", 49408);
    t.max_positions = v.positive("max_position_embeddings", 77);
  }
  return t;
}

JsonSource read_source(const std::string& file) { return {file, read_input_file(file)}; }

// nlohmann reports a number beyond the double range (1e400) without a position: find it in the text.
ConfigError json_number_error(const JsonSource& src, const json::out_of_range& e) {
  const std::string msg = e.what();
  const auto open = msg.find('\''), close = msg.rfind('\'');
  const std::string token = open != std::string::npos && close > open ? msg.substr(open + 1, close - open - 1) : "";
  const std::size_t pos = token.empty() ? std::string::npos : src.text.find(token);
  SourceLocation at = pos == std::string::npos ? SourceLocation{src.file, 0, 0} : src.locate(pos);
  if (pos == 0) at = {src.file, 1, 1};
  return ConfigError(at, "", "number " + (token.empty() ? std::string("") : token + " ") +
                                 "is out of range (expected a finite JSON number)");
}

json parse_json(const JsonSource& src) {
  const std::string& file = src.file;
  const std::string& text = src.text;
  try {
    json j = json::parse(text);
    if (!j.is_object()) throw ConfigError({file, 1, 1}, "", "expected a JSON object at the top level");
    return j;
  } catch (const json::parse_error& e) {
    int line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') line++, col = 1;
      else col++;
    }
    throw ConfigError({file, line, col}, "", "JSON syntax error");
  } catch (const json::out_of_range& e) {
    throw json_number_error(src, e);
  }
}

// torch_dtype (or `dtype`, its newer name): reported, and the default precision when the model gives none.
void read_dtype(const JsonView& v, HfModel& m) {
  m.torch_dtype = v.text("torch_dtype", v.text("dtype", ""));
  if (m.torch_dtype == "float32") m.dtype = Precision::fp32;
  if (m.torch_dtype == "float16") m.dtype = Precision::fp16;
  if (m.torch_dtype == "bfloat16") m.dtype = Precision::bf16;
}

// quantization_config: a weight-only quantized checkpoint (AWQ, GPTQ, bitsandbytes' load_in_4bit/8bit) keeps
// its weights in `bits` integers and computes at torch_dtype; catsim runs it as int4 or int8 weights.
void read_quantization(const JsonView& v, HfModel& m) {
  const JsonView q = v.object("quantization_config");
  m.quant_method = q.text("quant_method", "");
  std::int64_t bits = q.has_number("bits", false) ? q.positive("bits", 0) : 0;
  if (q.flag("load_in_4bit", false)) bits = 4;
  if (q.flag("load_in_8bit", false)) bits = 8;
  if (bits == 0) {
    if (!m.quant_method.empty())
      q.fail("bits", "quant_method '" + m.quant_method + "' without bits (expected bits: 4 or 8, or load_in_4bit)");
    return;
  }
  if (bits != 4 && bits != 8)
    q.fail("bits", std::to_string(bits) + "-bit weights are not modelled (expected 4 or 8)");
  m.weight_quant = bits == 4 ? Precision::int4 : Precision::int8;
}

}  // namespace

HfModel load_hf_config(const std::string& file) {
  const JsonSource src = read_source(file);
  json j = parse_json(src);
  JsonView v(j, src, "");
  const std::string kTypes = "bert, roberta, vit, llama, mistral, qwen2, clip, gpt2, opt, phi3, gemma2, mixtral, qwen2_moe";
  std::string type = v.text("model_type", "");
  const std::string describe =
      "; or describe the model in a model.yaml with the family whose layers it has (family: llama, ...) and "
      "its dimensions (hidden, layers, heads, kv_heads, ffn, vocab)";
  if (type.empty()) v.fail("model_type", "missing (expected one of " + kTypes + describe + ")");
  auto family = parse_family(type);
  if (!family) v.fail("model_type", "unsupported model_type '" + type + "' (expected one of " + kTypes + describe + ")");

  HfModel m;
  m.family = *family;
  if (j.contains("architectures") && j["architectures"].is_array() && !j["architectures"].empty() &&
      j["architectures"][0].is_string())
    m.name = j["architectures"][0].get<std::string>();
  // A config relabelled to a known model_type keeps its own class: that family's defaults for missing keys
  // would describe another model (Falcon-7B as llama took Llama's 11,008-wide FFN: 8.04 B parameters, not
  // 6.92 B), so every dimension must then be given.
  if (!m.name.empty() && !class_of_family(m.name, *family))
    v.refuse_defaults("architectures names " + m.name + ", not a " + type + " class, so " + type +
                      "'s defaults do not apply (give the key" + describe + ")");
  switch (*family) {
    case Family::bert:
    case Family::roberta:
    case Family::vit: m.towers.push_back(encoder(*family, v)); break;
    case Family::llama:
    case Family::mistral:
    case Family::qwen2: m.towers.push_back(decoder(*family, v)); break;
    case Family::gpt2: m.towers.push_back(gpt2(v)); break;
    case Family::opt: m.towers.push_back(opt(v)); break;
    case Family::phi3:
    case Family::gemma2:
    case Family::mixtral: m.towers.push_back(modern_decoder(*family, v)); break;
    case Family::qwen2_moe: m.towers.push_back(qwen2_moe(v, j)); break;
    case Family::clip:
      m.towers.push_back(clip_tower(v.object("text_config"), false));
      m.towers.push_back(clip_tower(v.object("vision_config"), true));
      m.projection_dim = v.positive("projection_dim", 512);
      break;
    case Family::gemm:
    case Family::onnx: break;
  }
  for (auto& t : m.towers) {
    const JsonView tv = t.name.empty() ? v : v.object(t.vision ? "vision_config" : "text_config");
    if (t.kv_heads == 0) t.kv_heads = t.heads;
    if (t.head_dim == 0) {
      if (t.hidden % t.heads != 0) tv.fail("hidden_size", "hidden_size is not a multiple of num_attention_heads");
      t.head_dim = t.hidden / t.heads;
    }
    if (t.heads % t.kv_heads != 0)
      tv.fail("num_key_value_heads", "must divide num_attention_heads (" + std::to_string(t.heads) + ")");
    if (t.vision && t.image_size % t.patch_size != 0)
      tv.fail("patch_size", "must divide image_size (" + std::to_string(t.image_size) + ")");
  }
  read_dtype(v, m);
  read_quantization(v, m);
  v.unknown_keys(m.warnings);
  if (m.family == Family::clip)
    for (const char* tower : {"text_config", "vision_config"}) v.object(tower).unknown_keys(m.warnings);
  return m;
}

}  // namespace catsim
