#include "carbon/embodied/act.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "carbon/tech/data_io.h"
#include "carbon/data_params.h"

namespace catsim {

static ActDefaults read_defaults(const ConfigNode& d) {
  ActDefaults a;
  a.gas_abatement_pct = static_cast<int>(d.read_int(data_param("act.defaults.gas_abatement_pct")));
  a.yield = d.read_number(data_param("act.defaults.yield"));
  a.fab_region = d.read_text(data_param("act.defaults.fab_region"));
  a.packaging_g_per_ic = d.read_number(data_param("act.defaults.packaging_g_per_ic"));
  a.memory_yield = d.read_number(data_param("act.defaults.memory_yield"));
  d.finish();
  return a;
}

ActTables ActTables::load(const std::string& file) {
  ConfigNode root = ConfigNode::load_file(file);
  ActTables t;
  root.accept("sources");
  root.accept(param_leaf(data_param("act.nodes_outside_table")));
  t.m_epa = read_node_map(root, "epa_kwh_per_cm2", data_param("act.epa_kwh_per_cm2.NODE"));
  ConfigNode gpa = root.map("gpa_g_per_cm2");
  for (const std::string& pct : gpa.keys()) {
    int abatement = -1;
    const auto [end, ec] = std::from_chars(pct.data(), pct.data() + pct.size(), abatement);
    if (ec != std::errc() || end != pct.data() + pct.size() || abatement < 0 || abatement > 100)
      gpa.fail(pct, "key must be a gas abatement in percent, a whole number 0 to 100");
    t.m_gpa[abatement] = read_node_map(gpa, pct, data_param("act.gpa_g_per_cm2.PCT.NODE"));
  }
  for (double c : read_number_list(root, data_param("act.gas_abatement_choices")))
    t.m_abatement_choices.push_back(static_cast<int>(c));  // whole, 0 to 100: checked by the list's reader
  t.m_mpa = root.read_number(data_param("act.mpa_g_per_cm2"));
  t.m_oldest_row_nm = root.read_number(data_param("act.oldest_row_nm"));
  t.m_defaults = read_defaults(root.map("defaults"));
  ConfigNode mem = root.map("memory_g_per_gb");
  for (const std::string& type : mem.keys()) {
    ConfigNode m = mem.map(type);
    t.m_memory_g_per_gb[type] = m.read_number(data_param("act.memory_g_per_gb.TYPE.value"));
    m.read_text(data_param("act.memory_g_per_gb.TYPE.part"));
    m.accept(param_leaf(data_param("act.memory_g_per_gb.TYPE.note")));
    m.finish();
  }
  root.finish();
  if (!t.m_gpa.count(95) || !t.m_gpa.count(99)) root.fail("gpa_g_per_cm2", "needs the 95 and 99 tables");
  return t;
}

double ActTables::by_node(const std::map<double, double>& table, int node_nm) const {
  double n = std::min<double>(node_nm, m_oldest_row_nm);
  auto hi = table.lower_bound(n);
  if (hi != table.end() && hi->first == n) return hi->second;
  if (hi == table.begin() || hi == table.end())
    throw std::out_of_range("node " + std::to_string(node_nm) + " nm is outside the ACT tables");
  auto lo = std::prev(hi);
  double w = std::log(n / lo->first) / std::log(hi->first / lo->first);
  return lo->second + w * (hi->second - lo->second);
}

double ActTables::gpa_g_per_cm2(int node_nm, int abatement_pct) const {
  if (abatement_pct == 97) return 0.5 * (gpa_g_per_cm2(node_nm, 95) + gpa_g_per_cm2(node_nm, 99));
  auto it = m_gpa.find(abatement_pct);
  if (it == m_gpa.end())
    throw std::out_of_range("no GPA table for " + std::to_string(abatement_pct) + " % abatement");
  return by_node(it->second, node_nm);
}

std::string ActTables::abatement_list() const {
  std::string s;
  for (int c : m_abatement_choices) s += (s.empty() ? "" : "|") + std::to_string(c);
  return s;
}

std::string ActTables::memory_type_list() const {
  std::string s;
  for (const auto& [type, g] : m_memory_g_per_gb) s += (s.empty() ? "" : "|") + type;
  return s;
}

double act_carbon_per_cm2(const ActTables& act, int node_nm, double fab_ci_g_per_kwh, int gas_abatement_pct,
                          double yield) {
  double per_cm2 = fab_ci_g_per_kwh * act.epa_kwh_per_cm2(node_nm) +
                   act.gpa_g_per_cm2(node_nm, gas_abatement_pct) + act.mpa_g_per_cm2();
  if (!(yield > 0)) throw std::invalid_argument("act_carbon_per_cm2: yield must be positive");
  return per_cm2 / yield;
}

double embodied_die_g(const ActTables& act, double area_mm2, int node_nm, double fab_ci_g_per_kwh,
                      int gas_abatement_pct, double yield) {
  return area_mm2 / 100.0 * act_carbon_per_cm2(act, node_nm, fab_ci_g_per_kwh, gas_abatement_pct, yield);
}

double embodied_memory_g(double capacity_gb, double g_per_gb, double yield) {
  if (!(yield > 0)) throw std::invalid_argument("embodied_memory_g: yield must be positive");
  return capacity_gb * g_per_gb / yield;
}

}  // namespace catsim
