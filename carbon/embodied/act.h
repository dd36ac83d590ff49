#pragma once
// ACT's embodied-carbon model of a die (Gupta et al., ISCA 2022) and its tables (configs/tech/act.yaml):
//   carbon per cm2 = (CI_fab x EPA(node) + GPA(node, abatement) + MPA) / yield
// plus packaging per IC and memory per GB.

#include <map>
#include <string>
#include <vector>

#include "arch/config/config_node.h"

namespace catsim {

struct ActDefaults {
  int gas_abatement_pct = 97;
  double yield = 0.875;
  std::string fab_region = "taiwan";
  double packaging_g_per_ic = 150;
  double memory_yield = 0.875;
};

class ActTables {
 public:
  static ActTables load(const std::string& file);

  // Per-node figures: exact rows, else linear in log(node) between rows; nodes older than the oldest
  // row use that row.
  double epa_kwh_per_cm2(int node_nm) const { return by_node(m_epa, node_nm); }
  double gpa_g_per_cm2(int node_nm, int abatement_pct) const;  // 95, 99, or 97 = mean of the two
  double mpa_g_per_cm2() const { return m_mpa; }
  const std::vector<int>& abatement_choices() const { return m_abatement_choices; }
  std::string abatement_list() const;  // "95|97|99"

  bool has_memory_type(const std::string& dram_type) const { return m_memory_g_per_gb.count(dram_type) != 0; }
  double memory_g_per_gb(const std::string& dram_type) const { return m_memory_g_per_gb.at(dram_type); }
  std::string memory_type_list() const;  // "ddr3|ddr4|...", for error messages
  const ActDefaults& defaults() const { return m_defaults; }

 private:
  double by_node(const std::map<double, double>& table, int node_nm) const;

  std::map<double, double> m_epa;
  std::map<int, std::map<double, double>> m_gpa;  // by abatement percent
  double m_mpa = 0;
  double m_oldest_row_nm = 28;
  std::vector<int> m_abatement_choices;
  std::map<std::string, double> m_memory_g_per_gb;
  ActDefaults m_defaults;
};

// Grams CO2e per cm2 of good die.
double act_carbon_per_cm2(const ActTables& act, int node_nm, double fab_ci_g_per_kwh, int gas_abatement_pct,
                          double yield);
// Grams CO2e of one die of `area_mm2`.
double embodied_die_g(const ActTables& act, double area_mm2, int node_nm, double fab_ci_g_per_kwh,
                      int gas_abatement_pct, double yield);
// Grams CO2e of `capacity_gb` (10^9 bytes) of memory at `g_per_gb`, divided by the memory yield.
double embodied_memory_g(double capacity_gb, double g_per_gb, double yield);

}  // namespace catsim
