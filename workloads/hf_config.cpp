#include "workloads/hf_config.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "arch/config/error.h"
#include "arch/io/input_file.h"
#include "workloads/dim_limits.h"
#include "workloads/family.h"

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
  JsonView(const json& j, const JsonSource& src, std::string prefix, std::size_t base = 0)
      : m_j(j), m_src(src), m_prefix(std::move(prefix)), m_base(base) {}

  std::int64_t positive(const char* key, std::int64_t fallback) const {
    if (!m_j.contains(key) || m_j[key].is_null()) return fallback;
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
    if (!m_j.contains(key) || m_j[key].is_null()) return fallback;
    if (!m_j[key].is_boolean()) fail(key, "expected true or false, got " + std::string(m_j[key].type_name()));
    return m_j[key].get<bool>();
  }
  std::string text(const char* key, const std::string& fallback) const {
    if (!m_j.contains(key) || m_j[key].is_null()) return fallback;
    if (!m_j[key].is_string()) fail(key, "expected a string, got " + std::string(m_j[key].type_name()));
    return m_j[key].get<std::string>();
  }
  JsonView object(const char* key) const {
    if (!m_j.contains(key) || m_j[key].is_null()) return JsonView(s_empty, m_src, path(key), m_base);
    if (!m_j[key].is_object()) fail(key, "expected an object");
    return JsonView(m_j[key], m_src, path(key), m_src.find_key(key, m_base));
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
};

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
  return t;
}

TowerSpec clip_tower(const JsonView& v, bool vision) {
  TowerSpec t = family_conventions(Family::clip, vision ? "vision" : "text");
  t.hidden = v.positive("hidden_size", vision ? 768 : 512);
  t.layers = v.positive("num_hidden_layers", 12);
  t.heads = v.positive("num_attention_heads", vision ? 12 : 8);
  t.ffn = v.positive("intermediate_size", vision ? 3072 : 2048);
  t.act = activation(v, "quick_gelu");
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

}  // namespace

HfModel load_hf_config(const std::string& file) {
  const JsonSource src = read_source(file);
  json j = parse_json(src);
  JsonView v(j, src, "");
  std::string type = v.text("model_type", "");
  if (type.empty()) v.fail("model_type", "missing (expected one of bert, roberta, vit, llama, mistral, qwen2, clip)");
  auto family = parse_family(type);
  if (!family) v.fail("model_type", "unsupported model_type '" + type + "' (expected one of bert, roberta, vit, llama, mistral, qwen2, clip)");

  HfModel m;
  m.family = *family;
  if (j.contains("architectures") && j["architectures"].is_array() && !j["architectures"].empty() &&
      j["architectures"][0].is_string())
    m.name = j["architectures"][0].get<std::string>();
  switch (*family) {
    case Family::bert:
    case Family::roberta:
    case Family::vit: m.towers.push_back(encoder(*family, v)); break;
    case Family::llama:
    case Family::mistral:
    case Family::qwen2: m.towers.push_back(decoder(*family, v)); break;
    case Family::clip:
      m.towers.push_back(clip_tower(v.object("text_config"), false));
      m.towers.push_back(clip_tower(v.object("vision_config"), true));
      m.projection_dim = v.positive("projection_dim", 512);
      break;
    case Family::gemm: break;
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
  return m;
}

}  // namespace catsim
