#include "search/space.h"
#include "search/space_params.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <set>

#include "arch/arch_parser.h"
#include "arch/config/config_node.h"
#include "arch/config/whole_integer.h"
#include "arch/io/input_file.h"
#include "carbon/carbon_config.h"
#include "carbon/carbon_data.h"
#include "search/accuracy_table.h"
#include "workloads/model_parser.h"
#include "carbon/tech/dram_devices.h"

namespace catsim {
namespace {

constexpr std::int64_t kMaxValuesPerParam = 100000;

SourceLocation mark_of(const std::string& file, const YAML::Node& n) {
  const auto m = n.Mark();
  return {file, m.line + 1, m.column + 1};
}

std::string flow_yaml(const YAML::Node& n) {
  YAML::Emitter e;
  e.SetMapFormat(YAML::Flow);
  e.SetSeqFormat(YAML::Flow);
  e << n;
  return e.c_str();
}

// A base given as a shipped name (configs/FOLDER/NAME.yaml) or a path relative to the space file.
std::string resolve_base(const ConfigNode& n, const Param& param, const std::string& folder,
                         const std::string& space_file) {
  const std::string key(param_leaf(param));
  const std::string v = n.read_text(param);
  const bool is_path = v.find('/') != std::string::npos || v.ends_with(".yaml") || v.ends_with(".yml") ||
                       v.ends_with(".json");
  const std::filesystem::path p = is_path ? std::filesystem::path(space_file).parent_path() / v
                                          : std::filesystem::path(shipped_config(folder, v));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec))
    n.fail(key, "no such " + key + ": " + p.string() + " (expected a shipped name or a file)");
  return p.string();
}

std::int64_t parse_int(const std::string& text, const SourceLocation& where, const std::string& key) {
  if (const std::optional<long long> v = whole_integer(text)) return *v;
  throw ConfigError(where, key, "'" + text + "' is not an integer");
}

// from..to with an additive step, or a multiplicative one (`x2`).
std::vector<std::string> integer_range(std::int64_t lo, std::int64_t hi, const std::string& step,
                                       const SourceLocation& where, const std::string& key) {
  if (lo > hi) throw ConfigError(where, key, fmt::format("empty range: from {} > to {}", lo, hi));
  const bool mult = !step.empty() && step[0] == 'x';
  const std::int64_t s = parse_int(mult ? step.substr(1) : step, where, key);
  if (mult ? s < 2 : s < 1)
    throw ConfigError(where, key, "step " + step + " never advances (expected a positive step, or xN with N >= 2)");
  if (mult && lo < 1) throw ConfigError(where, key, "a multiplicative step needs from >= 1");
  std::vector<std::string> out;
  for (std::int64_t v = lo; v <= hi; v = mult ? v * s : v + s) {
    out.push_back(std::to_string(v));
    if (static_cast<std::int64_t>(out.size()) > kMaxValuesPerParam)
      throw ConfigError(where, key, fmt::format("more than {} values", kMaxValuesPerParam));
    if (v > (INT64_MAX / 2) / std::max<std::int64_t>(s, 1)) break;
  }
  return out;
}

// The original (unpruned) size of a pruning key, for `blocks:`.
std::int64_t original_dim(const ModelSpec& m, const std::string& pruning_key, const SourceLocation& where,
                          const std::string& key) {
  std::string tower, dim = pruning_key;
  if (const auto dot = pruning_key.find('.'); dot != std::string::npos) {
    tower = pruning_key.substr(0, dot);
    dim = pruning_key.substr(dot + 1);
  }
  for (const auto& t : m.original) {
    if (t.name != tower) continue;
    if (dim == "layers") return t.layers;
    if (dim == "hidden") return t.hidden;
    if (dim == "heads") return t.heads;
    if (dim == "kv_heads") return t.kv_heads;
    if (dim == "ffn") return t.ffn;
  }
  throw ConfigError(where, key, "the base model has no such dimension (" + pruning_key + ")");
}

bool valid_pruning_key(const std::string& k) {
  std::string base = k;
  for (const char* tower : {"text.", "vision."})
    if (k.rfind(tower, 0) == 0) base = k.substr(std::string(tower).size());
  return base == "layers" || base == "hidden" || base == "heads" || base == "kv_heads" || base == "ffn";
}

}  // namespace

void check_parameter_value(const BaseFiles& base, const std::string& path, const std::string& value,
                           const SourceLocation& where) {
  std::vector<Override> ov = base.fixed;
  const bool model = path.rfind("model.", 0) == 0;
  ov.push_back({model ? "model" : "arch", path.substr(model ? 6 : 5), value});
  try {
    if (model) load_model(base.model, ov);
    else load_arch(base.arch, ov);
  } catch (const ConfigError& e) {
    throw ConfigError(where, path, "value " + value + ": " + e.problem());
  }
}

namespace {

std::vector<std::string> param_values(const YAML::Node& v, const SourceLocation& where, const std::string& key,
                                      const ModelSpec& base_model, const std::string& file) {
  if (v.IsSequence()) {
    std::vector<std::string> out;
    for (const auto& e : v) {
      if (!e.IsScalar()) throw ConfigError(mark_of(file, e), key, "a choice must be a scalar");
      out.push_back(e.Scalar());
    }
    if (out.empty()) throw ConfigError(where, key, "empty list of choices");
    return out;
  }
  if (!v.IsMap()) throw ConfigError(where, key, "expected a list of choices or {from, to, step}");
  ConfigNode r(v, std::make_shared<Origins>(file), key);
  const std::int64_t lo = r.read_int(space_param("parameters.KEY.from"));
  const std::int64_t hi = r.read_int(space_param("parameters.KEY.to"));
  const std::string step = r.str_or("step", "1");
  std::int64_t unit = 1;
  if (r.has("block") && r.has("blocks")) r.fail("blocks", "give one of block and blocks");
  if (r.has("block")) unit = r.read_int(space_param("parameters.KEY.block"));
  if (r.has("blocks")) {
    if (key.rfind("model.pruning.", 0) != 0) r.fail("blocks", "only for model pruning keys");
    const std::int64_t n = r.read_int(space_param("parameters.KEY.blocks"));
    const std::int64_t orig = original_dim(base_model, key.substr(14), where, key);
    if (orig % n != 0) r.fail("blocks", fmt::format("{} does not split into {} equal blocks", orig, n));
    unit = orig / n;
  }
  r.finish();
  auto out = integer_range(lo, hi, step, where, key);
  if (unit != 1)
    for (auto& s : out) s = std::to_string(std::stoll(s) * unit);
  return out;
}

SearchParam read_param(const ConfigNode& params, const std::string& key, const BaseFiles& base,
                       const ModelSpec& base_model, const std::string& file) {
  const SourceLocation where = params.where(key);
  SearchParam p{key, {}, where};
  if (key.rfind("model.pruning.", 0) == 0) {
    if (!valid_pruning_key(key.substr(14)))
      throw ConfigError(where, key, "not a pruning key (expected model.pruning.layers|heads|kv_heads|ffn|hidden, "
                                    "text./vision. for CLIP)");
  } else if (key.rfind("model.", 0) == 0) {
    throw ConfigError(where, key, "only the model's pruning keys may vary (accuracy is a function of the shape; "
                                  "set other model keys under fixed:)");
  } else if (key.rfind("arch.", 0) != 0) {
    throw ConfigError(where, key, "not an arch or model parameter (expected arch.KEY or model.pruning.KEY)");
  }
  p.values = param_values(params.yaml()[key], where, key, base_model, file);
  std::set<std::string> distinct(p.values.begin(), p.values.end());
  if (distinct.size() != p.values.size()) throw ConfigError(where, key, "a value is listed twice");
  check_parameter_value(base, key, p.values.front(), where);
  check_parameter_value(base, key, p.values.back(), where);
  for (std::size_t i = 1; i + 1 < p.values.size() && p.values.size() <= 64; ++i)
    check_parameter_value(base, key, p.values[i], where);
  return p;
}

void read_constraints(const ConfigNode& n, Constraints& c) {
  c.max_latency_s = n.read_number_if(space_param("constraints.max_latency_s"));
  c.max_area_mm2 = n.read_number_if(space_param("constraints.max_area_mm2"));
  c.max_tops = n.read_number_if(space_param("constraints.max_tops"));
  c.max_power_w = n.read_number_if(space_param("constraints.max_power_w"));
  c.min_accuracy = n.read_number_if(space_param("constraints.min_accuracy"));
  n.finish();
}

void read_optimizer(const ConfigNode& n, OptimizerSettings& o) {
  o.name = n.read_choice(space_param("optimizer.name"));
  o.population = static_cast<int>(n.read_int(space_param("optimizer.population")));
  if (o.population % 4 != 0) n.fail("population", "must be a multiple of 4 (NSGA-II's tournament)");
  o.outer = n.read_choice(space_param("optimizer.outer"));
  o.inner = n.read_choice(space_param("optimizer.inner"));
  o.inner_points = n.read_int(space_param("optimizer.inner_points"));
  n.finish();
}

void read_accuracy(const ConfigNode& n, AccuracySettings& a, const std::string& space_file) {
  a.source = n.read_choice(space_param("accuracy.source"));
  if (a.source == "table") {
    a.file = (std::filesystem::path(space_file).parent_path() / n.read_text(space_param("accuracy.file"))).string();
    a.nearest = n.boolean_or("nearest", false);
    a.table_is_space = n.boolean_or("as_space", false);
  } else if (a.source == "command") {
    a.command = n.read_text(space_param("accuracy.command"));
    a.timeout_s = n.read_number(space_param("accuracy.timeout_s"));
  }
  n.finish();
}

ShapeList cross_product(const std::vector<SearchParam>& params) {
  std::vector<std::vector<std::string>> values;
  std::size_t count = 1;
  for (const auto& p : params) {
    count *= p.values.size();  // at most 10 million times one list's length: no overflow
    if (count > ShapeList::kMaxShapes) throw ConfigError(p.where, p.path, "more than 10 million model shapes");
    values.push_back(p.values);
  }
  return ShapeList::cross(std::move(values));
}

// With `as_space`, the table's rows are the shapes and its columns the model parameters.
void shapes_from_table(SearchSpace& s, const ConfigNode& root) {
  const AccuracyTable t = load_accuracy_table(s.accuracy.file);
  if (!s.model.empty())
    throw ConfigError(s.model.front().where, s.model.front().path,
                      "the accuracy table is the model space (as_space: true): do not also vary model keys");
  for (const auto& k : t.keys)
    s.model.push_back({"model.pruning." + k, {}, root.where("accuracy")});
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : t.rows) rows.push_back(r.shape);
  s.shapes = ShapeList::rows(std::move(rows));
}

std::uint64_t fnv1a(const std::string& bytes, std::uint64_t h = 1469598103934665603ull) {
  for (const unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

MetricMode parse_metric_mode(const std::string& t, const SourceLocation& where) {
  if (t == "carbon") return MetricMode::carbon;
  if (t == "latency") return MetricMode::latency;
  if (t == "energy") return MetricMode::energy;
  if (t == "all") return MetricMode::all;
  if (t == "all-hw") return MetricMode::all_hw;
  throw ConfigError(where, "metric", "'" + t + "' is not a metric mode (expected carbon|latency|energy|all|all-hw)");
}

std::string to_string(MetricMode m) {
  switch (m) {
    case MetricMode::carbon: return "carbon";
    case MetricMode::latency: return "latency";
    case MetricMode::energy: return "energy";
    case MetricMode::all: return "all";
    case MetricMode::all_hw: return "all-hw";
  }
  return "?";
}

std::string SearchParam::pruning_key() const { return path.rfind("model.pruning.", 0) == 0 ? path.substr(14) : path; }

double SearchSpace::hardware_points() const {
  double n = 1;
  for (const auto& p : hardware) n *= static_cast<double>(p.values.size());
  return n;
}

std::vector<std::string> expand_values(const std::string& spec, const SourceLocation& where, const std::string& key) {
  std::vector<std::string> out;
  const auto c1 = spec.find(':');
  if (c1 != std::string::npos && spec.find(',') == std::string::npos) {
    const auto c2 = spec.find(':', c1 + 1);
    const std::string step = c2 == std::string::npos ? "1" : spec.substr(c2 + 1);
    return integer_range(parse_int(spec.substr(0, c1), where, key),
                         parse_int(spec.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1), where, key),
                         step, where, key);
  }
  std::size_t start = 0;
  for (;;) {
    const auto comma = spec.find(',', start);
    std::string v = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (v.empty()) throw ConfigError(where, key, "empty value in '" + spec + "'");
    out.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

SearchSpace load_space(const std::string& file, const std::string& metric_override) {
  SearchSpace s;
  s.file = file;
  const ConfigNode root = ConfigNode::load_file(file);
  s.name = root.str_or("name", std::filesystem::path(file).stem().string());
  s.arch_file = resolve_base(root, space_param("arch"), "arch", file);
  s.model_file = resolve_base(root, space_param("model"), "models", file);
  if (auto fixed = root.map_if("fixed")) {
    for (const auto& k : fixed->keys()) {
      const bool model = k.rfind("model.", 0) == 0;
      if (!model && k.rfind("arch.", 0) != 0)
        throw ConfigError(fixed->where(k), k, "not an arch or model key (expected arch.KEY or model.KEY)");
      s.fixed.push_back({model ? "model" : "arch", k.substr(model ? 6 : 5), flow_yaml(fixed->yaml()[k])});
    }
  }
  if (root.has("carbon")) s.fixed.push_back({"arch", "carbon", flow_yaml(root.map("carbon").yaml())});
  for (const auto& o : s.fixed) {  // every fixed key must be one the arch or model reads
    try {
      if (o.target == "model") load_model(s.model_file, s.fixed);
      else load_arch(s.arch_file, s.fixed);
    } catch (const ConfigError& e) {
      throw ConfigError(root.where(o.path == "carbon" ? "carbon" : "fixed"), o.target + "." + o.path, e.problem());
    }
  }
  // A banked DRAM's part, now rather than as every point's failure (a point that varies the type is checked
  // as it runs).
  try {
    ArchSpec fixed_arch = load_arch(s.arch_file, s.fixed);
    resolve_dram_part(fixed_arch);
  } catch (const ConfigError& e) {
    throw ConfigError(root.where(root.has("fixed") ? "fixed" : "arch"), e.key(), e.problem());
  }
  // The carbon block's keys and regions, now rather than as every point's failure.
  if (root.has("carbon")) try {
      parse_carbon_config(load_arch(s.arch_file, s.fixed), *CarbonData::shared());
    } catch (const ConfigError& e) {
      throw ConfigError(root.where("carbon"), e.key(), e.problem());
    }
  const ModelSpec base_model = load_model(s.model_file, s.fixed);
  root.accept("metric");  // replaced by --metric when given
  const std::string metric_text = metric_override.empty() ? root.str_or("metric", "all") : metric_override;
  s.metric = parse_metric_mode(metric_text, metric_override.empty() ? root.where("metric") : SourceLocation{"--metric", 0, 0});
  const BaseFiles base{s.arch_file, s.model_file, s.fixed};
  if (auto params = root.map_if("parameters")) {
    for (const auto& k : params->keys()) {
      SearchParam p = read_param(*params, k, base, base_model, file);
      (p.is_model() ? s.model : s.hardware).push_back(std::move(p));
    }
  }
  if (auto c = root.map_if("constraints")) read_constraints(*c, s.constraints);
  if (auto o = root.map_if("optimizer")) read_optimizer(*o, s.optimizer);
  if (auto sc = root.map_if("screen")) {
    s.screen.on = true;
    s.screen.estimator = sc->read_choice(space_param("screen.estimator"));
    s.screen.latency_margin = sc->read_number(space_param("screen.latency_margin"));
    sc->finish();
    if (!s.constraints.max_latency_s)
      throw ConfigError(root.where("screen"), "screen",
                        "screens on latency: needs constraints.max_latency_s (expected a latency bound or no screen)");
  }
  s.fidelity = *parse_fidelity(root.read_choice(space_param("fidelity")));
  if (auto a = root.map_if("accuracy")) read_accuracy(*a, s.accuracy, file);
  if (auto b = root.map_if("budget")) {
    s.budget_points = b->read_int_or(space_param("budget.points"), 0);
    s.budget_wall_s = b->read_number_or(space_param("budget.wall_s"), 0);
    b->finish();
  }
  s.seed = static_cast<std::uint64_t>(root.read_int(space_param("seed")));
  s.workers = static_cast<int>(root.read_int(space_param("workers")));
  s.timeout_s = root.read_number(space_param("timeout_s"));
  root.finish();
  if (s.accuracy.table_is_space) shapes_from_table(s, root);
  else s.shapes = cross_product(s.model);
  if (s.metric == MetricMode::all_hw && !s.model.empty())
    throw ConfigError(s.model.front().where, s.model.front().path,
                      "metric all-hw keeps the model fixed (vary hardware only, or choose carbon|latency|energy|all)");
  if (s.metric != MetricMode::all_hw && s.accuracy.source == "none")
    throw ConfigError(root.where(), "accuracy",
                      "metric " + to_string(s.metric) + " maximizes accuracy: give accuracy: {source: table|command|proxy}");
  if (s.constraints.min_accuracy && s.accuracy.source == "none")
    throw ConfigError(root.where("constraints"), "constraints.min_accuracy", "needs an accuracy source");
  if (s.hardware.empty() && s.model.empty())
    throw ConfigError(root.where(), "parameters", "nothing varies (expected at least one arch.* or model.pruning.* key)");
  if (s.optimizer.name != "grid" && s.optimizer.name != "bilevel" && s.budget_points == 0)
    throw ConfigError(root.where(), "budget.points", "optimizer " + s.optimizer.name + " needs a budget of points");
  std::string bytes = read_input_file(file) + "|" + to_string(s.metric);
  if (s.accuracy.source == "table") bytes += read_input_file(s.accuracy.file);
  s.digest = fmt::format("{:016x}", fnv1a(bytes));
  return s;
}

Genes genes_at(const SearchSpace& space, std::uint64_t i) {
  Genes g(space.hardware.size() + 1);
  for (std::size_t k = space.hardware.size(); k-- > 0;) {
    const auto n = space.hardware[k].values.size();
    g[k] = static_cast<std::int64_t>(i % n);
    i /= n;
  }
  g.back() = static_cast<std::int64_t>(i);
  return g;
}

}  // namespace catsim
