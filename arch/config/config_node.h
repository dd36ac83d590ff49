#pragma once
// A typed, location-aware view of one YAML map. Every key read is declared with what it means and its
// unit, so a wrong type, a missing key or a bad value fails with `file:line:col: key: problem (expected …)`;
// finish() rejects the keys nobody read, with a "did you mean" hint.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "arch/config/error.h"
#include "arch/config/param.h"

namespace catsim {

// Which file (or `--set`) each dotted key path came from, for trees merged from presets and overrides.
class Origins {
 public:
  explicit Origins(std::string default_file) : m_default(std::move(default_file)) {}
  void set(const std::string& path, const std::string& file) { m_by_path[path] = file; }
  // The origin of the longest recorded prefix of `path`, else the default file.
  const std::string& file_of(const std::string& path) const;
  const std::string& default_file() const { return m_default; }

 private:
  std::string m_default;
  std::map<std::string, std::string> m_by_path;
};

class ConfigNode {
 public:
  ConfigNode(YAML::Node node, std::shared_ptr<const Origins> origins, std::string path = "");

  // Loads a YAML file; syntax errors become ConfigError with the parser's line:col.
  static ConfigNode load_file(const std::string& file);
  static YAML::Node parse_file(const std::string& file);

  // Whether `key` is given; a key given without a value (null) is a ConfigError.
  bool has(std::string_view key) const;
  const std::string& path() const { return m_path; }
  std::string key_path(std::string_view key) const;
  const YAML::Node& yaml() const { return m_node; }
  const Origins& origins() const { return *m_origins; }

  // Typed reads. `what` says what the value means, with its unit: it becomes the "expected" text.
  std::string str(std::string_view key, std::string_view what) const;
  std::string str_or(std::string_view key, std::string_view fallback) const;
  std::int64_t integer(std::string_view key, std::string_view what) const;
  std::int64_t positive_int(std::string_view key, std::string_view what) const;
  std::int64_t positive_int_or(std::string_view key, std::int64_t fallback, std::string_view what) const;
  std::int64_t non_negative_int_or(std::string_view key, std::int64_t fallback, std::string_view what) const;
  double number(std::string_view key, std::string_view what) const;
  double positive_number(std::string_view key, std::string_view what) const;
  double positive_number_or(std::string_view key, double fallback, std::string_view what) const;
  double non_negative_number_or(std::string_view key, double fallback, std::string_view what) const;
  // Ranged reads: integers are read as 64-bit and must lie in [lo, hi]; numbers must be finite and in
  // [lo, hi] (or (lo, hi] when `lo_open`). The error names the range: "out of range, got X (expected lo..hi ...)".
  std::int64_t int_in(std::string_view key, std::int64_t lo, std::int64_t hi, std::string_view what) const;
  std::int64_t int_in_or(std::string_view key, std::int64_t fallback, std::int64_t lo, std::int64_t hi,
                         std::string_view what) const;
  double number_in(std::string_view key, double lo, double hi, std::string_view what, bool lo_open = false) const;
  double number_in_or(std::string_view key, double fallback, double lo, double hi, std::string_view what,
                      bool lo_open = false) const;
  bool boolean_or(std::string_view key, bool fallback) const;
  // A string that must be one of `choices` (given as "a|b|c").
  std::string choice(std::string_view key, std::string_view choices) const;
  std::string choice_or(std::string_view key, std::string_view choices, std::string_view fallback) const;

  // Reads through a declaration (arch/config/param.h), by the last part of its path (or by `key` where that
  // part stands for any key) and in its range. An absent key takes the declared default, else `fallback`
  // where the caller computes it, else it is missing.
  std::int64_t read_int(const Param& p, std::string_view key = {}) const;
  std::int64_t read_int_or(const Param& p, std::int64_t fallback, std::string_view key = {}) const;
  double read_number(const Param& p, std::string_view key = {}) const;
  double read_number_or(const Param& p, double fallback) const;
  // An optional key without a default: its value when given (checked as above), else nullopt.
  std::optional<std::int64_t> read_int_if(const Param& p) const;
  std::optional<double> read_number_if(const Param& p) const;
  std::string read_choice(const Param& p) const;
  std::string read_choice_or(const Param& p, std::string_view fallback) const;
  std::string read_text(const Param& p) const;

  ConfigNode map(std::string_view key) const;                 // required nested map
  std::optional<ConfigNode> map_if(std::string_view key) const;  // optional nested map
  std::vector<ConfigNode> list_of_maps(std::string_view key) const;
  std::vector<std::string> keys() const;  // all keys of this map, marked as read

  // Marks a key as handled without reading it through this class.
  void accept(std::string_view key) const;
  SourceLocation where(std::string_view key) const;  // location of the key's value (or of this map)
  SourceLocation where() const;
  [[noreturn]] void fail(std::string_view key, const std::string& problem) const;
  // Rejects every key that was never read: "unknown key (did you mean 'x'?)".
  void finish() const;

 private:
  YAML::Node value(std::string_view key) const;  // marks read; throws when missing
  std::string scalar(std::string_view key, std::string_view what) const;
  SourceLocation location(const YAML::Node& n, const std::string& path) const;

  YAML::Node m_node;
  std::shared_ptr<const Origins> m_origins;
  std::string m_path;
  std::shared_ptr<std::set<std::string>> m_read;
};

// The Levenshtein-closest candidate within max(1, len/3) edits, or "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace catsim
