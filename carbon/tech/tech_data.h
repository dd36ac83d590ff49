#pragma once
// The technology data shipped in configs/tech/ (node scaling, logic, SRAM, DRAM), parsed once and
// independent of any design. TechTable resolves it for one node, cell type and set of overrides.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "carbon/tech/node_scaling.h"
#include "carbon/tech/sram_table.h"

namespace catsim {

// One named figure. Base entries carry a measured value; derived entries are weighted sums of others.
struct TechEntry {
  std::string name;
  std::string file;             // data file that declares it
  std::optional<double> value;  // base: value at `at_nm`
  double at_nm = 45;            // node the base value was measured at
  Scaling scaling = Scaling::none;
  std::vector<std::pair<std::string, double>> sum;  // derived: (entry, coefficient)
  std::string source;                               // citation (base) or "derived"
  std::string rule;                                 // how it was derived or chosen
};

struct DramType {
  int channel_bits = 0;   // data width of one channel
  std::string interface;  // "ddr" or "hbm": selects the PHY/controller entries
};

class TechData {
 public:
  // Loads node_scaling.yaml, logic.yaml, sram_cacti7.yaml and dram.yaml from `tech_dir`.
  static std::shared_ptr<const TechData> load(const std::string& tech_dir);
  // The shipped tables (data_dir()/tech), loaded on first use and shared afterwards.
  static std::shared_ptr<const TechData> shared();

  const NodeScaling& scaling() const { return *m_scaling; }
  const SramTable& sram() const { return m_sram; }
  const std::map<std::string, TechEntry>& entries() const { return m_entries; }
  // Entries with no default that only an override sets (name -> meaning).
  const std::map<std::string, std::string>& override_only() const { return m_override_only; }
  const std::map<std::string, DramType>& dram_types() const { return m_dram_types; }

  std::vector<std::string> entry_names() const;  // every name an override may use, sorted
  std::string dram_type_list() const;            // "ddr3|ddr4|...", for error messages

 private:
  void load_entries(const ConfigNode& root, const std::string& file);
  void check_derived(const ConfigNode& root) const;

  std::optional<NodeScaling> m_scaling;
  SramTable m_sram;
  std::map<std::string, TechEntry> m_entries;
  std::map<std::string, std::string> m_override_only;
  std::map<std::string, DramType> m_dram_types;
};

}  // namespace catsim
