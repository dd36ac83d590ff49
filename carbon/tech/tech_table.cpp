#include "carbon/tech/tech_table.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "carbon/tech/data_io.h"

namespace catsim {

TechTable::TechTable(std::shared_ptr<const TechData> data, int node_nm, SramCell cell,
                     std::map<std::string, double> overrides)
    : m_data(std::move(data)), m_node_nm(node_nm), m_cell(cell), m_overrides(std::move(overrides)) {
  if (!m_data->scaling().supported(node_nm))
    throw std::invalid_argument("unsupported node " + std::to_string(node_nm) + " nm (expected one of " +
                                m_data->scaling().supported_list() + ")");
  for (const auto& [name, v] : m_overrides)
    if (!m_data->entries().count(name) && !m_data->override_only().count(name))
      throw std::invalid_argument("unknown technology entry '" + name + "'");
  std::map<std::string, double> memo;
  for (const auto& [name, e] : m_data->entries()) m_values[name] = resolve(name, memo);
}

// Override, else base value carried to the node, else the weighted sum of resolved terms.
double TechTable::resolve(const std::string& name, std::map<std::string, double>& memo) const {
  if (auto it = memo.find(name); it != memo.end()) return it->second;
  double v = 0;
  const TechEntry& e = m_data->entries().at(name);
  if (auto o = m_overrides.find(name); o != m_overrides.end()) {
    v = o->second;
  } else if (e.value) {
    v = m_data->scaling().carry(e.scaling, *e.value, e.at_nm, m_node_nm);
  } else {
    for (const auto& [term, coef] : e.sum) v += coef * resolve(term, memo);
  }
  return memo[name] = v;
}

double TechTable::get(std::string_view entry) const {
  auto it = m_values.find(std::string(entry));
  if (it == m_values.end()) throw std::out_of_range("unknown technology entry '" + std::string(entry) + "'");
  return it->second;
}

std::optional<double> TechTable::override_of(std::string_view entry) const {
  auto it = m_overrides.find(std::string(entry));
  if (it == m_overrides.end()) return std::nullopt;
  return it->second;
}

// (1) CACTI macro at this node, (2) cell-type ratios, (3) port width, (4) whole-table overrides.
SramCost TechTable::sram(double capacity_bytes, double access_bytes) const {
  SramMacro m = m_data->sram().macro(capacity_bytes, m_node_nm, m_data->scaling());
  if (m_cell == SramCell::lstp) {
    m.read_pj *= get("sram_lstp_energy_ratio");
    m.write_pj *= get("sram_lstp_energy_ratio");
    m.area_mm2 *= get("sram_lstp_area_ratio");
    m.leak_w *= get("sram_lstp_leak_ratio");
  }
  double bits = std::max(8.0, access_bytes * 8);
  double width = std::pow(bits / m_data->sram().access_bits(), get("sram_width_exponent"));
  double mib = capacity_bytes / (1024.0 * 1024.0);
  SramCost c{m.read_pj * width / (bits / 8), m.write_pj * width / (bits / 8), m.area_mm2, m.leak_w};
  c.read_pj_per_byte = override_of("sram_read_pj_per_byte").value_or(c.read_pj_per_byte);
  c.write_pj_per_byte = override_of("sram_write_pj_per_byte").value_or(c.write_pj_per_byte);
  if (auto a = override_of("sram_mm2_per_mib")) c.area_mm2 = *a * mib;
  if (auto l = override_of("sram_leak_w_per_mib")) c.leak_w = *l * mib;
  return c;
}

double TechTable::dram_pj_per_bit(const std::string& type) const {
  return get("dram_" + type + "_pj_per_bit");
}

DramInterfaceArea TechTable::dram_interface(const std::string& type, int channels) const {
  const DramType& t = m_data->dram_types().at(type);
  double bits = static_cast<double>(t.channel_bits) * channels;
  return {bits * get("dram_phy_" + t.interface + "_mm2_per_bit"),
          bits * get("dram_ctrl_" + t.interface + "_mm2_per_bit")};
}

static std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::map<std::string, double> parse_tech_overrides(const ArchSpec& arch, const TechData& data) {
  std::map<std::string, double> out;
  const YAML::Node& node = arch.technology.overrides;
  if (!node.IsDefined() || node.IsNull()) return out;
  ConfigNode o(node, arch.origins ? arch.origins : std::make_shared<Origins>(arch.source_file),
               "technology.overrides");
  if (!node.IsMap()) o.fail("", "expected a mapping from technology entry to value");
  std::vector<std::string> known = data.entry_names();
  for (const std::string& name : o.keys()) {
    if (!std::binary_search(known.begin(), known.end(), name)) {
      std::string hint = closest_match(name, known);
      o.fail(name, "unknown technology entry" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                       " (expected one of: " + join(known) + ")");
    }
    double v = o.number_in(name, 0, 1e9, "the entry's value at the design's node, in the unit its name ends with");
    out[name] = v;
  }
  return out;
}

TechTable TechTable::for_arch(const ArchSpec& arch, std::shared_ptr<const TechData> data) {
  SourceLocation where{arch.source_file, 0, 0};
  if (!data->scaling().supported(arch.technology.node_nm))
    throw ConfigError(where, "technology.node_nm",
                      "unsupported node " + std::to_string(arch.technology.node_nm) +
                          " nm (expected one of " + data->scaling().supported_list() + ")");
  if (!arch.dram.type.empty() && !data->dram_types().count(arch.dram.type))
    throw ConfigError(
        where, "dram.type",
        "unknown DRAM type '" + arch.dram.type + "' (expected one of " + data->dram_type_list() + ")");
  auto overrides = parse_tech_overrides(arch, *data);
  return TechTable(std::move(data), arch.technology.node_nm, arch.technology.sram_cell, std::move(overrides));
}

}  // namespace catsim
