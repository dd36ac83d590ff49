#include "workloads/model_parser.h"
#include "workloads/scalesim_topology.h"

#include <cctype>
#include <filesystem>

#include "arch/config/bundle.h"
#include "arch/config/whole_integer.h"
#include "arch/checked_math.h"
#include "workloads/family.h"
#include "workloads/hf_config.h"
#include "workloads/imported_graph.h"
#include "workloads/model_params.h"
#include "workloads/onnx_loader.h"
#include "workloads/op_graph.h"
#include "workloads/parameters.h"
#include "workloads/pruning.h"

namespace catsim {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kDefaultSeqLen = 128;

// Shape keys a model.yaml may set (directly, or under text:/vision: for CLIP).
void read_dims(const ConfigNode& n, TowerSpec& t, bool require) {
  auto dim = [&](const Param& p, std::int64_t& field, bool needed) {
    const std::string_view key = param_leaf(p);
    if (n.has(key)) field = n.read_int(p);
    else if (needed && field == 0) n.fail(key, "missing required key (expected " + std::string(p.what) + ")");
    else n.accept(key);
  };
  dim(model_param("layers"), t.layers, require);
  dim(model_param("hidden"), t.hidden, require);
  dim(model_param("heads"), t.heads, require);
  dim(model_param("kv_heads"), t.kv_heads, false);
  dim(model_param("head_dim"), t.head_dim, false);
  dim(model_param("ffn"), t.ffn, require);
  dim(model_param("vocab"), t.vocab, require && !t.vision);
  dim(model_param("max_positions"), t.max_positions, require && !t.vision);
  dim(model_param("type_vocab"), t.type_vocab, false);
  dim(model_param("image_size"), t.image_size, require && t.vision);
  dim(model_param("patch_size"), t.patch_size, require && t.vision);
  dim(model_param("channels"), t.channels, false);
  if (n.has("activation")) {
    std::string a = n.read_choice(model_param("activation"));
    t.act = *parse_activation(a);
  } else {
    n.accept("activation");
  }
  t.tie_embeddings = n.boolean_or("tie_embeddings", t.tie_embeddings);
  if (t.moe()) {
    dim(model_param("experts"), t.experts, false);
    dim(model_param("experts_per_token"), t.experts_per_token, false);
    dim(model_param("expert_ffn"), t.expert_ffn, false);
    dim(model_param("shared_expert_ffn"), t.shared_expert_ffn, false);
    if (t.experts_per_token > t.experts)
      n.fail("experts_per_token", std::to_string(t.experts_per_token) + " is more than experts " +
                                      std::to_string(t.experts) + " (expected 1.." + std::to_string(t.experts) + ")");
  } else {
    for (const char* key : {"experts", "experts_per_token", "expert_ffn", "shared_expert_ffn"}) {
      if (n.has(key)) n.fail(key, "applies to the mixture-of-experts families only (expected family mixtral or qwen2_moe)");
      n.accept(key);
    }
  }
}

void finish_dims(const ConfigNode& n, TowerSpec& t) {
  if (t.kv_heads == 0) t.kv_heads = t.heads;
  if (t.head_dim == 0) {
    if (t.hidden % t.heads != 0)
      n.fail("heads", "hidden " + std::to_string(t.hidden) + " is not a multiple of heads " +
                          std::to_string(t.heads) + " (expected a divisor, or give head_dim)");
    t.head_dim = t.hidden / t.heads;
  }
  if (t.kv_heads > t.heads || t.heads % t.kv_heads != 0)
    n.fail("kv_heads", "kv_heads " + std::to_string(t.kv_heads) + " does not divide heads " + std::to_string(t.heads) +
                           " (expected a divisor)");
  if (t.vision && t.image_size % t.patch_size != 0)
    n.fail("patch_size", "patch_size " + std::to_string(t.patch_size) + " does not divide image_size " +
                             std::to_string(t.image_size));
}

// `fallback` applies when the model gives no precision (int8, or the HuggingFace config's torch_dtype).
PrecisionSpec parse_precision_block(const ConfigNode& root, Precision fallback,
                                    std::optional<Precision> weights_fallback = std::nullopt) {
  PrecisionSpec p;
  p.weights = p.activations = p.kv_cache = fallback;
  if (weights_fallback) p.weights = *weights_fallback;
  auto one = [](const ConfigNode& n, const Param& key, Precision fallback) {
    if (!n.has(param_leaf(key))) {
      n.accept(param_leaf(key));
      return fallback;
    }
    return *parse_precision(n.read_choice(key));
  };
  if (!root.has("precision")) {
    root.accept("precision");
  } else if (root.yaml()["precision"].IsScalar()) {
    Precision all = *parse_precision(root.read_choice(model_param("precision")));
    p.weights = p.activations = p.kv_cache = all;
  } else {
    ConfigNode n = root.map("precision");
    p.weights = one(n, model_param("precision.weights"), weights_fallback.value_or(fallback));
    p.activations = one(n, model_param("precision.activations"), weights_fallback ? fallback : p.weights);
    p.kv_cache = one(n, model_param("precision.kv_cache"), p.activations);
    p.accumulator = n.read_choice_or(model_param("precision.accumulator"), is_integer(p.activations) ? "int32" : "fp32");
    n.finish();
    return p;
  }
  p.accumulator = is_integer(p.activations) ? "int32" : "fp32";
  return p;
}

// A prefill longer than a sliding window would need a banded attention mask, which the compiler does not
// model; decode steps attend to the window at any kv_len.
void check_window(const ConfigNode& n, const char* key, std::int64_t tokens, const TowerSpec& text) {
  if (text.sliding_window == 0 || tokens <= text.sliding_window) return;
  n.fail(key, std::to_string(tokens) + " tokens exceed the model's sliding window of " +
                  std::to_string(text.sliding_window) + " keys (" +
                  (text.window_even_layers_only ? "its even layers" : "every layer") +
                  "): a prefill beyond it needs a banded attention mask, which catsim does not model (expected at "
                  "most " + std::to_string(text.sliding_window) + "; decode steps attend to the window at any kv_len)");
}

// phase: generate: the prompt is prefilled (seq_len = prompt_len), then gen_len decode steps follow.
void parse_generation(const ConfigNode& n, const TowerSpec& text, WorkloadSpec& w) {
  for (const char* key : {"seq_len", "kv_len"})
    if (n.has(key)) n.fail(key, "phase: generate takes prompt_len and gen_len (remove " + std::string(key) + ")");
  w.prompt_len = n.read_int(model_param("workload.prompt_len"));
  w.gen_len = n.read_int(model_param("workload.gen_len"));
  if (w.prompt_len > text.max_positions - w.gen_len)
    n.fail("gen_len", "prompt_len " + std::to_string(w.prompt_len) + " + gen_len " + std::to_string(w.gen_len) +
                          " exceed max_positions " + std::to_string(text.max_positions));
  check_window(n, "prompt_len", w.prompt_len, text);
  w.seq_len = w.prompt_len;
}

void parse_workload(const ConfigNode& root, ModelSpec& m) {
  WorkloadSpec& w = m.workload;
  const TowerSpec* text = nullptr;
  for (const auto& t : m.towers)
    if (!t.vision) text = &t;
  bool causal = !m.towers.empty() && m.towers.front().causal;
  std::optional<ConfigNode> n = root.map_if("workload");
  if (!n) {
    if (text) w.seq_len = std::min(kDefaultSeqLen, text->max_positions);
    return;
  }
  w.batch = n->read_int(model_param("workload.batch"));
  const std::string phase = n->read_choice(model_param("workload.phase"));
  w.phase = phase == "decode" ? Phase::decode : phase == "generate" ? Phase::generate : Phase::prefill;
  if (w.phase != Phase::prefill && !causal)
    n->fail("phase", phase + " needs a causal decoder with a KV cache (llama, mistral, qwen2, gpt2, opt, phi3, gemma2, "
                     "mixtral, qwen2_moe), this is a " +
                         std::string(name_of(m.family)) + " model (expected prefill)");
  if (w.phase == Phase::generate) {
    parse_generation(*n, *text, w);
    n->finish();
    return;
  }
  // prompt_len and gen_len belong to phase: generate; a file (or a sweep over phases) may carry them into
  // another phase, where they are unused but still checked.
  if (n->has("prompt_len")) n->read_int(model_param("workload.prompt_len"));
  if (n->has("gen_len")) n->read_int(model_param("workload.gen_len"));
  n->accept("prompt_len");
  n->accept("gen_len");
  if (n->has("seq_len")) {
    if (!text) n->fail("seq_len", "a vision model's sequence is set by image_size and patch_size (remove seq_len)");
    if (w.phase == Phase::decode)
      n->fail("seq_len", "a decode step processes one token per sequence (remove seq_len; set kv_len)");
    w.seq_len = n->read_int(model_param("workload.seq_len"));
    if (w.seq_len > text->max_positions)
      n->fail("seq_len", std::to_string(w.seq_len) + " tokens exceed max_positions " +
                             std::to_string(text->max_positions));
    check_window(*n, "seq_len", w.seq_len, *text);
  } else {
    n->accept("seq_len");
    if (text && w.phase == Phase::prefill) w.seq_len = std::min(kDefaultSeqLen, text->max_positions);
  }
  if (w.phase == Phase::decode) {
    w.kv_len = n->read_int(model_param("workload.kv_len"));
    if (w.kv_len > text->max_positions)
      n->fail("kv_len", std::to_string(w.kv_len) + " tokens exceed max_positions " + std::to_string(text->max_positions));
    w.seq_len = 1;
  } else if (n->has("kv_len")) {
    n->fail("kv_len", "kv_len applies to phase: decode only");
  } else {
    n->accept("kv_len");
  }
  n->finish();
}

void parse_gemms(const ConfigNode& root, ModelSpec& m, bool list) {
  auto one = [](const ConfigNode& n, std::string name) {
    GemmSpec g;
    g.name = n.str_or("name", name);
    g.m = n.read_int(model_param("m"));
    g.n = n.read_int(model_param("n"));
    g.k = n.read_int(model_param("k"));
    return g;
  };
  if (!list) {
    m.gemms.push_back(one(root, m.name));
    return;
  }
  auto items = root.list_of_maps("gemms");
  if (items.empty()) root.fail("gemms", "empty list (expected at least one {m, n, k})");
  for (std::size_t i = 0; i < items.size(); ++i) {
    m.gemms.push_back(one(items[i], "gemm" + std::to_string(i)));
    items[i].finish();
  }
}

// The towers before pruning: from hf_config (plus dims in the YAML) or from family + dims.
void parse_towers(const ConfigNode& root, ModelSpec& m, const std::string& file) {
  if (root.has("hf_config") && root.has("family"))
    root.fail("family", "give either family or hf_config, not both");
  if (root.has("hf_config")) {
    std::string rel = root.read_text(model_param("hf_config"));
    fs::path p = fs::path(rel).is_absolute() ? fs::path(rel) : fs::path(file).parent_path() / rel;
    std::error_code ec;
    if (!fs::exists(p, ec)) root.fail("hf_config", "file not found: " + p.string());
    HfModel hf = load_hf_config(p.string());
    m.family = hf.family;
    m.torch_dtype = hf.torch_dtype;
    m.warnings = hf.warnings;
    if (hf.dtype) m.default_precision = *hf.dtype;
    m.default_weights = hf.weight_quant;
    m.towers = hf.towers;
    m.projection_dim = hf.projection_dim;
    if (m.name.empty()) m.name = p.stem().string();
    root.accept("family");
  } else {
    std::string f = root.read_choice(model_param("family"));
    m.family = *parse_family(f);
    root.accept("hf_config");
    if (m.family == Family::clip)
      m.towers = {family_conventions(Family::clip, "text"), family_conventions(Family::clip, "vision")};
    else
      m.towers = {family_conventions(m.family)};
  }
  bool require = !root.has("hf_config");
  if (m.family == Family::clip) {
    for (auto& t : m.towers) {
      auto sub = root.map_if(t.name);
      if (!sub && require) root.fail(t.name, "missing required key (expected the " + t.name + " tower's dims)");
      if (sub) {
        read_dims(*sub, t, require);
        finish_dims(*sub, t);
        sub->finish();
      } else {
        finish_dims(root, t);
      }
    }
    m.projection_dim = root.read_int_or(model_param("projection_dim"), m.projection_dim ? m.projection_dim : 512);
  } else {
    read_dims(root, m.towers.front(), require);
    finish_dims(root, m.towers.front());
    root.accept("text");
    root.accept("vision");
    root.accept("projection_dim");
  }
}

void parse_model_pruning(const ConfigNode& root, ModelSpec& m) {
  m.original = m.towers;
  auto block = root.map_if("pruning");
  if (!block) return;
  if (m.family == Family::clip) {
    for (auto& t : m.towers) {
      if (auto sub = block->map_if(t.name)) t = apply_pruning(t, parse_pruning(*sub), *sub);
    }
    block->finish();
  } else {
    m.towers.front() = apply_pruning(m.towers.front(), parse_pruning(*block), *block);
  }
}

// Parameter counts, MACs and bytes must fit 64 bits: lowering once here makes `info` and a simulation
// reject the same oversized shapes, as a one-line input error naming the quantity that overflowed.
void check_model_size(const ModelSpec& m, const std::string& file) {
  try {
    (void)count_parameters(m).total();
    (void)lower(m).total_macs();
  } catch (const OverflowError& e) {
    throw ConfigError({file, 0, 0}, "", std::string(e.what()) + " (expected a smaller model or workload)");
  }
}

// Largest value a symbolic dimension or an input's dimension may be bound to.
constexpr std::int64_t kMaxBoundDim = static_cast<std::int64_t>(model_param("dims.NAME").hi);

// An input shape: "1x3x224x224" or a list of positive integers.
std::vector<std::int64_t> shape_value(const ConfigNode& n, const std::string& key) {
  const YAML::Node v = n.yaml()[key];
  std::vector<std::string> parts;
  if (v.IsSequence()) {
    for (const auto& e : v) parts.push_back(e.IsScalar() ? e.Scalar() : "?");
  } else if (v.IsScalar()) {
    std::string s = v.Scalar();
    for (std::size_t b = 0;;) {
      const std::size_t e = s.find('x', b);
      parts.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
      if (e == std::string::npos) break;
      b = e + 1;
    }
  }
  std::vector<std::int64_t> shape;
  for (const std::string& p : parts) {
    const std::optional<long long> d = whole_integer(p);
    if (!d || *d < 1 || *d > kMaxBoundDim)
      n.fail(key, "'" + p + "' is not a dimension from 1 to " + std::to_string(kMaxBoundDim) +
                      " (expected a shape such as 1x128 or [1, 128])");
    shape.push_back(*d);
  }
  if (shape.empty()) n.fail(key, "expected a shape such as 1x128 or [1, 128]");
  n.accept(key);
  return shape;
}

// kind: onnx. The graph's file (relative to the model.yaml), bindings of its symbolic dimensions, and the
// precision, which defaults to the graph's own tensor types.
void parse_onnx(const ConfigNode& root, ModelSpec& m, const std::string& file) {
  OnnxRequest r;
  fs::path graph = root.read_text(model_param("file"));
  if (graph.is_relative()) graph = fs::path(file).parent_path() / graph;
  r.file = graph.lexically_normal().string();
  if (auto dims = root.map_if("dims")) {
    for (const std::string& k : dims->keys()) r.dims[k] = dims->read_int(model_param("dims.NAME"), k);
    dims->finish();
  }
  if (auto inputs = root.map_if("inputs")) {
    for (const std::string& k : inputs->keys()) r.inputs[k] = shape_value(*inputs, k);
    inputs->finish();
  }
  r.key_prefix = root.path();
  m.imported = import_onnx(r, root.where("file"));
  m.family = Family::onnx;
  // Inferences per run: what energy and carbon per inference divide by, and what tells the compiler that
  // rows of different samples must not share dependencies. By default a bound dimension named *batch*.
  std::int64_t batch = 1;
  for (const auto& [name, value] : m.imported->bound_dims) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("batch") != std::string::npos) batch = value;
  }
  m.workload.batch = root.read_int_or(model_param("batch"), batch);
  m.graph_precisions = !root.has("precision");
  const bool mixed = m.imported->weights != m.imported->activations;
  m.precision = parse_precision_block(root, m.imported->activations,
                                      mixed ? std::optional<Precision>(m.imported->weights) : std::nullopt);
  if (m.name.empty()) m.name = m.imported->graph_name.empty() ? fs::path(r.file).stem().string() : m.imported->graph_name;
}

// An ONNX graph given as the model: the model.yaml it stands for.
YAML::Node onnx_tree(const std::string& file) {
  YAML::Node n(YAML::NodeType::Map);
  n["kind"] = "onnx";
  n["file"] = fs::absolute(file).lexically_normal().string();
  return n;
}

// A SCALE-Sim topology as the model.yaml it stands for: kind: gemms, one entry per (lowered) layer, int8.
YAML::Node topology_tree(const std::string& file) {
  YAML::Node n(YAML::NodeType::Map);
  n["kind"] = "gemms";
  n["name"] = fs::path(file).stem().string();
  n["precision"] = "int8";  // SCALE-Sim: one byte per element
  for (const GemmSpec& g : read_scalesim_topology(file)) {
    YAML::Node e(YAML::NodeType::Map);
    e["name"] = g.name;
    e["m"] = g.m;
    e["n"] = g.n;
    e["k"] = g.k;
    n["gemms"].push_back(e);
  }
  return n;
}

YAML::Node model_tree(const std::string& file) {
  if (is_topology_csv(file)) return topology_tree(file);
  if (is_onnx_file(file)) return onnx_tree(file);
  if (fs::path(file).extension() == ".json") {
    YAML::Node n(YAML::NodeType::Map);
    n["hf_config"] = fs::absolute(file).string();
    return n;
  }
  return bundle_part(ConfigNode::parse_file(file), "model");
}

}  // namespace

ModelSpec load_model(const std::string& file, const std::vector<Override>& overrides) {
  auto origins = std::make_shared<Origins>(file);
  YAML::Node tree = model_tree(file);
  apply_overrides(tree, overrides, "model", *origins);
  ConfigNode root(tree, origins);

  ModelSpec m;
  m.source_file = file;
  m.tree = tree;
  m.name = root.str_or("name", "");
  std::string kind = root.read_choice(model_param("kind"));
  if (kind == "onnx") {
    parse_onnx(root, m, file);
    root.finish();
    check_model_size(m, file);
    return m;
  }
  if (kind != "transformer") {
    m.precision = parse_precision_block(root, m.default_precision);
    m.family = Family::gemm;
    if (m.name.empty()) m.name = fs::path(file).stem().string();
    parse_gemms(root, m, kind == "gemms");
    root.finish();
    check_model_size(m, file);
    return m;
  }
  parse_towers(root, m, file);
  m.precision = parse_precision_block(root, m.default_precision, m.default_weights);
  if (m.name.empty()) m.name = fs::path(file).stem().string();
  parse_model_pruning(root, m);
  parse_workload(root, m);
  root.finish();
  check_model_size(m, file);
  return m;
}

}  // namespace catsim
