#include "arch/config/config_node.h"

#include "arch/config/yaml_bounds.h"
#include "arch/io/input_file.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace catsim {

const std::string& Origins::file_of(const std::string& path) const {
  std::string p = path;
  while (true) {
    auto it = m_by_path.find(p);
    if (it != m_by_path.end()) return it->second;
    auto dot = p.rfind('.');
    if (dot == std::string::npos) break;
    p.resize(dot);
  }
  auto it = m_by_path.find(p);
  return it != m_by_path.end() ? it->second : m_default;
}

ConfigNode::ConfigNode(YAML::Node node, std::shared_ptr<const Origins> origins, std::string path)
    : m_node(std::move(node)),
      m_origins(std::move(origins)),
      m_path(std::move(path)),
      m_read(std::make_shared<std::set<std::string>>()) {}

YAML::Node ConfigNode::parse_file(const std::string& file) {
  YAML::Node root = load_bounded_yaml(read_input_file(file), file);
  if (!root.IsMap()) throw ConfigError({file, 1, 1}, "", "top level must be a mapping of keys (expected key: value lines)");
  return root;
}

ConfigNode ConfigNode::load_file(const std::string& file) {
  return ConfigNode(parse_file(file), std::make_shared<Origins>(file));
}

bool ConfigNode::has(std::string_view key) const {
  if (!m_node.IsMap()) return false;
  const YAML::Node v = m_node[std::string(key)];
  if (!v.IsDefined()) return false;
  // `key: ~` or `key:` alone would silently mean "the default": say so instead.
  if (v.IsNull()) fail(key, "no value (null): give one, or leave the key out for its default");
  return true;
}

std::string ConfigNode::key_path(std::string_view key) const {
  return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

SourceLocation ConfigNode::location(const YAML::Node& n, const std::string& path) const {
  const std::string& file = m_origins->file_of(path);
  if (file == "--set") return {file, 0, 0};
  const YAML::Mark m = n.Mark();
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

SourceLocation ConfigNode::where() const { return location(m_node, m_path); }

SourceLocation ConfigNode::where(std::string_view key) const {
  if (m_node.IsMap()) {
    YAML::Node v = m_node[std::string(key)];
    if (v.IsDefined()) return location(v, key_path(key));
  }
  return where();
}

void ConfigNode::fail(std::string_view key, const std::string& problem) const {
  throw ConfigError(where(key), key.empty() ? m_path : key_path(key), problem);
}

void ConfigNode::accept(std::string_view key) const { m_read->insert(std::string(key)); }

YAML::Node ConfigNode::value(std::string_view key) const {
  m_read->insert(std::string(key));
  if (!has(key)) {
    std::vector<std::string> present;
    if (m_node.IsMap())
      for (const auto& kv : m_node) present.push_back(kv.first.Scalar());
    std::string hint = closest_match(key, present);
    throw ConfigError(where(), key_path(key),
                      "missing required key" + (hint.empty() || hint == key ? std::string()
                                                                             : " (found '" + hint + "': a typo?)"));
  }
  return m_node[std::string(key)];
}

std::string ConfigNode::scalar(std::string_view key, std::string_view what) const {
  YAML::Node v = value(key);
  if (!v.IsScalar()) fail(key, "expected a single value (" + std::string(what) + "), got a " +
                                   (v.IsMap() ? "mapping" : "list"));
  return v.Scalar();
}

std::string ConfigNode::str(std::string_view key, std::string_view what) const {
  std::string s = scalar(key, what);
  if (s.empty()) fail(key, "empty value (expected " + std::string(what) + ")");
  return s;
}

std::string ConfigNode::str_or(std::string_view key, std::string_view fallback) const {
  if (!has(key)) {
    accept(key);
    return std::string(fallback);
  }
  return str(key, "a string");
}

std::int64_t ConfigNode::integer(std::string_view key, std::string_view what) const {
  std::string s = scalar(key, what);
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range && ptr == s.data() + s.size())
    fail(key, "'" + s + "' is out of range (expected " + std::string(what) + ")");
  if (ec != std::errc() || ptr != s.data() + s.size())
    fail(key, "'" + s + "' is not an integer (expected " + std::string(what) + ")");
  return v;
}

std::int64_t ConfigNode::int_in(std::string_view key, std::int64_t lo, std::int64_t hi, std::string_view what) const {
  const std::int64_t v = integer(key, what);
  if (v < lo || v > hi)
    fail(key, "out of range, got " + std::to_string(v) + " (expected " + std::to_string(lo) + ".." +
                  std::to_string(hi) + ", " + std::string(what) + ")");
  return v;
}

std::int64_t ConfigNode::int_in_or(std::string_view key, std::int64_t fallback, std::int64_t lo, std::int64_t hi,
                                   std::string_view what) const {
  if (!has(key)) {
    accept(key);
    return fallback;
  }
  return int_in(key, lo, hi, what);
}

double ConfigNode::number_in(std::string_view key, double lo, double hi, std::string_view what, bool lo_open) const {
  const double v = number(key, what);
  if (v < lo || v > hi || (lo_open && v == lo))
    fail(key, "out of range, got " + scalar(key, what) + " (expected " + (lo_open ? "> " : "") +
                  fmt::format("{}", lo) + (lo_open ? " and <= " : "..") + fmt::format("{}", hi) + ", " +
                  std::string(what) + ")");
  return v;
}

double ConfigNode::number_in_or(std::string_view key, double fallback, double lo, double hi, std::string_view what,
                                bool lo_open) const {
  if (!has(key)) {
    accept(key);
    return fallback;
  }
  return number_in(key, lo, hi, what, lo_open);
}

std::int64_t ConfigNode::positive_int(std::string_view key, std::string_view what) const {
  std::int64_t v = integer(key, what);
  if (v <= 0) fail(key, "must be positive, got " + std::to_string(v) + " (expected " + std::string(what) + ")");
  return v;
}

std::int64_t ConfigNode::positive_int_or(std::string_view key, std::int64_t fallback,
                                         std::string_view what) const {
  if (!has(key)) {
    accept(key);
    return fallback;
  }
  return positive_int(key, what);
}

std::int64_t ConfigNode::non_negative_int_or(std::string_view key, std::int64_t fallback,
                                             std::string_view what) const {
  if (!has(key)) {
    accept(key);
    return fallback;
  }
  std::int64_t v = integer(key, what);
  if (v < 0) fail(key, "must not be negative, got " + std::to_string(v) + " (expected " + std::string(what) + ")");
  return v;
}

double ConfigNode::number(std::string_view key, std::string_view what) const {
  std::string s = scalar(key, what);
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range && ptr == s.data() + s.size())
    fail(key, "'" + s + "' is out of range (expected a finite number: " + std::string(what) + ")");
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v))
    fail(key, "'" + s + "' is not a number (expected " + std::string(what) + ")");
  return v;
}

double ConfigNode::positive_number(std::string_view key, std::string_view what) const {
  double v = number(key, what);
  if (!(v > 0)) fail(key, "must be positive, got " + scalar(key, what) + " (expected " + std::string(what) + ")");
  return v;
}

double ConfigNode::positive_number_or(std::string_view key, double fallback, std::string_view what) const {
  if (!has(key)) {
    accept(key);
    return fallback;
  }
  return positive_number(key, what);
}

double ConfigNode::non_negative_number_or(std::string_view key, double fallback, std::string_view what) const {
  if (!has(key)) {
    accept(key);
    return fallback;
  }
  double v = number(key, what);
  if (v < 0) fail(key, "must not be negative, got " + scalar(key, what) + " (expected " + std::string(what) + ")");
  return v;
}

bool ConfigNode::boolean_or(std::string_view key, bool fallback) const {
  if (!has(key)) {
    accept(key);
    return fallback;
  }
  std::string s = scalar(key, "true or false");
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  fail(key, "'" + s + "' is not a boolean (expected true or false)");
}

static std::vector<std::string> split_choices(std::string_view choices) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= choices.size()) {
    std::size_t bar = choices.find('|', start);
    if (bar == std::string_view::npos) bar = choices.size();
    out.emplace_back(choices.substr(start, bar - start));
    start = bar + 1;
  }
  return out;
}

std::string ConfigNode::choice(std::string_view key, std::string_view choices) const {
  std::string s = str(key, choices);
  auto options = split_choices(choices);
  if (std::find(options.begin(), options.end(), s) != options.end()) return s;
  std::string hint = closest_match(s, options);
  fail(key, "unsupported value '" + s + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                " (expected one of " + std::string(choices) + ")");
}

std::string ConfigNode::choice_or(std::string_view key, std::string_view choices,
                                  std::string_view fallback) const {
  if (!has(key)) {
    accept(key);
    return std::string(fallback);
  }
  return choice(key, choices);
}

ConfigNode ConfigNode::map(std::string_view key) const {
  YAML::Node v = value(key);
  if (!v.IsMap()) fail(key, "expected a mapping of keys");
  return ConfigNode(v, m_origins, key_path(key));
}

std::optional<ConfigNode> ConfigNode::map_if(std::string_view key) const {
  if (!has(key)) {
    accept(key);
    return std::nullopt;
  }
  return map(key);
}

std::vector<ConfigNode> ConfigNode::list_of_maps(std::string_view key) const {
  YAML::Node v = value(key);
  if (!v.IsSequence()) fail(key, "expected a list");
  std::vector<ConfigNode> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::string p = key_path(key) + "[" + std::to_string(i) + "]";
    if (!v[i].IsMap()) throw ConfigError(location(v[i], p), p, "expected a mapping of keys");
    out.emplace_back(v[i], m_origins, p);
  }
  return out;
}

std::vector<std::string> ConfigNode::keys() const {
  std::vector<std::string> out;
  if (!m_node.IsMap()) return out;
  for (const auto& kv : m_node) {
    out.push_back(kv.first.Scalar());
    m_read->insert(out.back());
  }
  return out;
}

void ConfigNode::finish() const {
  if (!m_node.IsMap()) return;
  std::vector<std::string> known(m_read->begin(), m_read->end());
  for (const auto& kv : m_node) {
    const std::string k = kv.first.Scalar();
    if (m_read->count(k)) continue;
    std::string hint = closest_match(k, known);
    std::string p = key_path(k);
    throw ConfigError(location(kv.first, p), p,
                      "unknown key" + (hint.empty() ? std::string() : " (did you mean '" + hint + "'?)"));
  }
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(1, word.size() / 3) + 1;  // hint only for near misses
  for (const auto& c : candidates) {
    std::vector<std::size_t> row(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (word[i - 1] == c[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    if (row[c.size()] < best_d) {
      best_d = row[c.size()];
      best = c;
    }
  }
  return best;
}

namespace {

std::string_view meaning_of(const Param& p) { return p.what.empty() ? p.note : p.what; }

std::string_view key_of(const Param& p, std::string_view key) { return key.empty() ? param_leaf(p) : key; }

}  // namespace

std::int64_t ConfigNode::read_int(const Param& p, std::string_view key) const {
  if (p.value_default) return read_int_or(p, static_cast<std::int64_t>(*p.value_default), key);
  return int_in(key_of(p, key), static_cast<std::int64_t>(p.lo), static_cast<std::int64_t>(p.hi), meaning_of(p));
}

std::int64_t ConfigNode::read_int_or(const Param& p, std::int64_t fallback, std::string_view key) const {
  const std::string_view k = key_of(p, key);
  return int_in_or(k, fallback, static_cast<std::int64_t>(p.lo), static_cast<std::int64_t>(p.hi), meaning_of(p));
}

double ConfigNode::read_number(const Param& p, std::string_view key) const {
  const std::string_view k = key_of(p, key);
  if (p.value_default) return number_in_or(k, *p.value_default, p.lo, p.hi, meaning_of(p), p.lo_open);
  return number_in(k, p.lo, p.hi, meaning_of(p), p.lo_open);
}

double ConfigNode::read_number_or(const Param& p, double fallback) const {
  return number_in_or(param_leaf(p), fallback, p.lo, p.hi, meaning_of(p), p.lo_open);
}

std::optional<std::int64_t> ConfigNode::read_int_if(const Param& p) const {
  if (has(param_leaf(p))) return read_int(p);
  accept(param_leaf(p));
  return std::nullopt;
}

std::optional<double> ConfigNode::read_number_if(const Param& p) const {
  if (has(param_leaf(p))) return read_number(p);
  accept(param_leaf(p));
  return std::nullopt;
}

std::string ConfigNode::read_choice(const Param& p) const {
  if (p.choice_default.empty()) return choice(param_leaf(p), p.choices);
  return choice_or(param_leaf(p), p.choices, p.choice_default);
}

std::string ConfigNode::read_choice_or(const Param& p, std::string_view fallback) const {
  return choice_or(param_leaf(p), p.choices, fallback);
}

std::string ConfigNode::read_text(const Param& p) const { return str(param_leaf(p), meaning_of(p)); }

}  // namespace catsim
