#include "api/scalesim_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "api/input_files.h"
#include "api/scalesim_params.h"
#include "arch/arch_limits.h"
#include "arch/config/error.h"
#include "arch/io/input_file.h"

namespace catsim {
namespace {

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

struct Entry {
  std::string key, value;  // key as written
  int line = 0;
};
using Sections = std::map<std::string, std::map<std::string, Entry>>;  // lower-case section -> lower-case key

Sections parse_ini(const std::string& text, const std::string& file) {
  Sections out;
  std::istringstream in(text);
  std::string raw, section;
  int line = 0;
  while (std::getline(in, raw)) {
    ++line;
    const std::string s = trim(raw);
    if (s.empty() || s[0] == '#' || s[0] == ';') continue;
    if (s[0] == '[') {
      if (s.back() != ']' || s.size() < 3) throw ConfigError({file, line, 1}, "", "malformed section header '" + s + "'");
      section = lower(trim(s.substr(1, s.size() - 2)));
      out[section];
      continue;
    }
    const auto sep = s.find_first_of(":=");
    if (sep == std::string::npos || sep == 0)
      throw ConfigError({file, line, 1}, "", "expected 'key : value' or 'key = value', got '" + s + "'");
    if (section.empty()) throw ConfigError({file, line, 1}, trim(s.substr(0, sep)), "key before any [section]");
    const std::string key = trim(s.substr(0, sep));
    auto [it, fresh] = out[section].emplace(lower(key), Entry{key, trim(s.substr(sep + 1)), line});
    if (!fresh) throw ConfigError({file, line, 1}, key, "given twice in [" + section + "]");
  }
  return out;
}

const Entry* find(const Sections& s, const std::string& section, const std::string& key) {
  auto sec = s.find(section);
  if (sec == s.end()) return nullptr;
  auto it = sec->second.find(lower(key));
  return it == sec->second.end() ? nullptr : &it->second;
}

// The section and key of a declaration: "architecture_presets.ArrayHeight" -> {"architecture_presets", "ArrayHeight"}.
std::pair<std::string, std::string> section_key(const Param& p) {
  const std::size_t dot = p.path.find('.');
  return {std::string(p.path.substr(0, dot)), std::string(p.path.substr(dot + 1))};
}

const Entry* find(const Sections& s, const Param& p) {
  const auto [section, key] = section_key(p);
  return find(s, section, key);
}

const Entry& need(const Sections& s, const Param& p, const std::string& file) {
  if (const Entry* e = find(s, p)) return *e;
  const auto [section, key] = section_key(p);
  throw ConfigError({file, 0, 0}, key, "missing in [" + section + "] (a SCALE-Sim v2 configuration has it)");
}

// The value at full width (a double), checked against p's range before the caller narrows it.
double number(const Entry& e, const std::string& file, const Param& p) {
  char* end = nullptr;
  const double v = std::strtod(e.value.c_str(), &end);
  if (e.value.empty() || end != e.value.c_str() + e.value.size() || !std::isfinite(v) || v < p.lo || v > p.hi)
    throw ConfigError({file, e.line, 1}, e.key,
                      fmt::format("'{}' is not {} from {:g} to {:g}", e.value, p.what, p.lo, p.hi));
  return v;
}

// Decimal digits only, as SCALE-Sim's own int() reads them (it refuses 0x10 and 1e1).
int integer(const Entry& e, const std::string& file, const Param& p) {
  const std::size_t sign = !e.value.empty() && e.value[0] == '+' ? 1 : 0;
  if (e.value.size() == sign || e.value.find_first_not_of("0123456789", sign) != std::string::npos)
    throw ConfigError({file, e.line, 1}, e.key, "'" + e.value + "' is not a whole number in decimal digits");
  const double v = number(e, file, p);
  if (v != std::floor(v)) throw ConfigError({file, e.line, 1}, e.key, "'" + e.value + "' is not a whole number");
  return static_cast<int>(v);
}

// The value lower-cased, one of p's choices (compared in lower case, as SCALE-Sim does); p.what names the kind.
std::string choice(const Entry& e, const std::string& file, const Param& p) {
  const std::string v = lower(e.value);
  std::string expected;
  for (std::size_t at = 0; at <= p.choices.size();) {
    const std::size_t bar = std::min(p.choices.find('|', at), p.choices.size());
    const std::string c(p.choices.substr(at, bar - at));
    if (lower(c) == v) return v;
    expected += (expected.empty() ? "" : bar == p.choices.size() ? " or " : ", ") + c;
    at = bar + 1;
  }
  throw ConfigError({file, e.line, 1}, e.key,
                    "unknown " + std::string(p.what) + " '" + e.value + "' (expected " + expected + ")");
}

}  // namespace

ScaleSimConfig parse_scalesim_config(const std::string& text, const std::string& file) {
  const Sections s = parse_ini(text, file);
  const std::string arch = "architecture_presets";
  if (!s.count(arch)) throw ConfigError({file, 0, 0}, "[architecture_presets]", "missing section");
  ScaleSimConfig c;
  const Entry* name = find(s, scalesim_param("general.run_name"));
  c.run_name = name && !name->value.empty() ? name->value : std::filesystem::path(file).stem().string();
  c.rows = integer(need(s, scalesim_param("architecture_presets.ArrayHeight"), file), file,
                   scalesim_param("architecture_presets.ArrayHeight"));
  c.cols = integer(need(s, scalesim_param("architecture_presets.ArrayWidth"), file), file,
                   scalesim_param("architecture_presets.ArrayWidth"));
  for (auto [kb, p] : {std::pair{&c.ifmap_kb, &scalesim_param("architecture_presets.IfmapSramSzkB")},
                       std::pair{&c.filter_kb, &scalesim_param("architecture_presets.FilterSramSzkB")},
                       std::pair{&c.ofmap_kb, &scalesim_param("architecture_presets.OfmapSramSzkB")}})
    *kb = number(need(s, *p, file), file, *p);
  const Param& dataflow = scalesim_param("architecture_presets.Dataflow");
  c.dataflow = choice(need(s, dataflow, file), file, dataflow);
  const Param& bandwidth = scalesim_param("architecture_presets.Bandwidth");
  if (const Entry* bw = find(s, bandwidth)) {
    const std::string first = trim(bw->value.substr(0, bw->value.find(',')));  // one per memory bank
    c.bandwidth = integer(Entry{bw->key, first, bw->line}, file, bandwidth);
  }
  const Param& interface = scalesim_param("run_presets.InterfaceBandwidth");
  if (const Entry* mode = find(s, interface)) c.user_bandwidth = choice(*mode, file, interface) == "user";
  return c;
}

namespace {

// A catsim YAML file where SCALE-Sim's INI configuration belongs is named as what it is, not reported by
// the INI reader as a key before any [section].
void refuse_catsim_yaml(const std::string& file) {
  const auto ext = std::filesystem::path(file).extension();
  if (ext != ".yaml" && ext != ".yml") return;
  reject_space_file(file);
  const std::string what = looks_like_arch(file) ? "an arch.yaml" : looks_like_model(file) ? "a model.yaml" : "YAML";
  throw ConfigError({file, 0, 0}, "",
                    "this is " + what + ", not a SCALE-Sim .cfg (an INI file with [architecture_presets]); an arch.yaml "
                    "runs a topology as catsim ARCH.yaml TOPOLOGY.csv");
}

}  // namespace

ScaleSimConfig read_scalesim_config(const std::string& file) {
  refuse_catsim_yaml(file);
  return parse_scalesim_config(read_input_file(file), file);
}

std::string scalesim_arch_yaml(const ScaleSimConfig& c) {
  std::string name = c.run_name;  // a YAML double-quoted string: no quote, backslash or control character
  for (char& ch : name)
    if (ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20) ch = '_';
  // Memory never stalls (ideal DRAM): the port, DRAM bandwidth and vector unit do not change the cycles.
  const int port = c.bandwidth > 0 ? c.bandwidth
                                    : std::min(static_cast<int>(kMaxScaleSimBandwidth), std::max(c.rows, c.cols));
  return fmt::format(
      "# From a SCALE-Sim v2 configuration (catsim scalesim): one core, SCALE-Sim's timing, ideal DRAM.\n"
      "name: \"{}\"\nclock_mhz: 1000\n"
      "systolic: {{rows: {}, cols: {}, dataflow: {}, timing: scalesim, precisions: {{int8: 1}}}}\n"
      "vector: {{lanes: {}}}\n"
      "sram: {{ifmap_kib: {:g}, weight_kib: {:g}, ofmap_kib: {:g}, bytes_per_cycle: {}}}\n"
      "dram: {{type: ddr4, bandwidth_gbps: 100, capacity_gib: 1024, model: ideal}}\n"
      "technology: {{node_nm: 22}}\n",
      name, c.rows, c.cols, c.dataflow, std::max(1, std::min(c.cols, 65'536)), c.ifmap_kb, c.filter_kb,
      c.ofmap_kb, port);
}

}  // namespace catsim
