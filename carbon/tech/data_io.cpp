#include "carbon/tech/data_io.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace catsim {

static bool parse_double(const std::string& s, double& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out);
}

std::map<double, double> read_node_map(const ConfigNode& parent, std::string_view key,
                                       std::string_view what) {
  ConfigNode m = parent.map(key);
  std::map<double, double> out;
  for (const std::string& k : m.keys()) {
    double node = 0;
    if (!parse_double(k, node) || node <= 0) m.fail(k, "key must be a positive number (a node in nm)");
    out[node] = m.number(k, what);
  }
  if (out.empty()) parent.fail(key, "empty table (expected " + std::string(what) + " by node)");
  return out;
}

std::map<std::string, double> read_number_map(const ConfigNode& parent, std::string_view key, double lo, double hi,
                                              std::string_view what) {
  ConfigNode m = parent.map(key);
  std::map<std::string, double> out;
  for (const std::string& k : m.keys()) out[k] = m.number_in(k, lo, hi, what);
  return out;
}

static std::vector<double> numbers_of(const ConfigNode& parent, std::string_view key, const YAML::Node& seq,
                                      std::string_view what) {
  if (!seq.IsSequence()) parent.fail(key, "expected a list (" + std::string(what) + ")");
  std::vector<double> out;
  for (const auto& item : seq) {
    double v = 0;
    if (!item.IsScalar() || !parse_double(item.Scalar(), v))
      parent.fail(key, "list item is not a number (expected " + std::string(what) + ")");
    out.push_back(v);
  }
  return out;
}

std::vector<double> read_number_list(const ConfigNode& parent, std::string_view key, std::string_view what) {
  parent.accept(key);
  if (!parent.has(key)) parent.fail(key, "missing required key");
  return numbers_of(parent, key, parent.yaml()[std::string(key)], what);
}

std::vector<std::vector<double>> read_number_rows(const ConfigNode& parent, std::string_view key,
                                                  std::size_t width, std::string_view what) {
  parent.accept(key);
  if (!parent.has(key)) parent.fail(key, "missing required key");
  YAML::Node seq = parent.yaml()[std::string(key)];
  if (!seq.IsSequence()) parent.fail(key, "expected a list of rows (" + std::string(what) + ")");
  std::vector<std::vector<double>> rows;
  for (const auto& row : seq) {
    rows.push_back(numbers_of(parent, key, row, what));
    if (rows.back().size() != width)
      parent.fail(key, "row " + std::to_string(rows.size()) + " has " + std::to_string(rows.back().size()) +
                           " numbers (expected " + std::to_string(width) + ": " + std::string(what) + ")");
  }
  return rows;
}

std::string format_number(double v) {
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, ptr) : std::to_string(v);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace catsim
