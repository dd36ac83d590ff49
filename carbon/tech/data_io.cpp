#include "carbon/tech/data_io.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "arch/arch_limits.h"
#include "arch/config/param_reference.h"

namespace catsim {

static bool parse_double(const std::string& s, double& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out);
}

namespace {

// Whether `v` lies within p's range (and is whole where p is an integer).
bool within(const Param& p, double v) {
  if (!(p.lo_open ? v > p.lo : v >= p.lo) || !(v <= p.hi)) return false;
  return p.type != ParamType::integer || v == std::floor(v);
}

std::string range_of(const Param& p) {
  return std::string(p.lo_open ? "(" : "[") + reference_number(p.lo) + ", " + reference_number(p.hi) + "]" +
         (p.type == ParamType::integer ? " (whole numbers)" : "");
}

std::vector<double> numbers_of(const ConfigNode& parent, const Param& p, const YAML::Node& seq) {
  const std::string_view key = param_leaf(p);
  if (!seq.IsSequence()) parent.fail(key, "expected a list (" + std::string(p.what) + ")");
  std::vector<double> out;
  for (const auto& item : seq) {
    double v = 0;
    if (!item.IsScalar() || !parse_double(item.Scalar(), v))
      parent.fail(key, "list item " + std::to_string(out.size() + 1) + " is not a number (expected " +
                           std::string(p.what) + ")");
    if (!within(p, v))
      parent.fail(key, "list item " + std::to_string(out.size() + 1) + " is " + item.Scalar() + ", outside " +
                           range_of(p) + " (" + std::string(p.what) + ")");
    out.push_back(v);
  }
  return out;
}

}  // namespace

std::map<double, double> read_node_map(const ConfigNode& parent, std::string_view key, const Param& value) {
  ConfigNode m = parent.map(key);
  std::map<double, double> out;
  for (const std::string& k : m.keys()) {
    double node = 0;
    if (!parse_double(k, node) || !(node > 0 && node <= static_cast<double>(kMaxNodeNm)))
      m.fail(k, "key must be a node in nm, (0, " + std::to_string(kMaxNodeNm) + "]");
    out[node] = m.read_number(value, k);
  }
  if (out.empty()) parent.fail(key, "empty table (expected " + std::string(value.what) + " by node)");
  return out;
}

std::map<std::string, double> read_number_map(const ConfigNode& parent, std::string_view key, const Param& value) {
  ConfigNode m = parent.map(key);
  std::map<std::string, double> out;
  for (const std::string& k : m.keys()) out[k] = m.read_number(value, k);
  return out;
}

std::vector<double> read_number_list(const ConfigNode& parent, const Param& p) {
  const std::string_view key = param_leaf(p);
  parent.accept(key);
  if (!parent.has(key)) parent.fail(key, "missing required key");
  return numbers_of(parent, p, parent.yaml()[std::string(key)]);
}

std::vector<std::vector<double>> read_number_rows(const ConfigNode& parent, const Param& p, std::size_t width) {
  const std::string_view key = param_leaf(p);
  parent.accept(key);
  if (!parent.has(key)) parent.fail(key, "missing required key");
  YAML::Node seq = parent.yaml()[std::string(key)];
  if (!seq.IsSequence()) parent.fail(key, "expected a list of rows (" + std::string(p.what) + ")");
  std::vector<std::vector<double>> rows;
  for (const auto& row : seq) {
    rows.push_back(numbers_of(parent, p, row));
    if (rows.back().size() != width)
      parent.fail(key, "row " + std::to_string(rows.size()) + " has " + std::to_string(rows.back().size()) +
                           " numbers (expected " + std::to_string(width) + ": " + std::string(p.what) + ")");
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
