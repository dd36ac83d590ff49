#pragma once
// The technology figures of one design: every configs/tech entry carried to the design's node, with
// its arch.yaml `technology.overrides` applied, plus SRAM and DRAM lookups built on them.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "arch/arch_spec.h"
#include "carbon/tech/tech_data.h"

namespace catsim {

// Cost of one SRAM buffer of a given capacity and port width.
struct SramCost {
  double read_pj_per_byte = 0;
  double write_pj_per_byte = 0;
  double area_mm2 = 0;
  double leak_w = 0;
};

struct DramInterfaceArea {
  double phy_mm2 = 0;   // analog PHY, does not shrink with the node
  double ctrl_mm2 = 0;  // controller logic, scaled with the node
};

class TechTable {
 public:
  // `overrides` are values at `node_nm` by entry name; unknown names or nodes throw std::invalid_argument
  // (user input goes through for_arch, which reports ConfigErrors instead).
  TechTable(std::shared_ptr<const TechData> data, int node_nm, SramCell cell = SramCell::hp,
            std::map<std::string, double> overrides = {});
  // Node, cell type and overrides from `arch`; bad ones become ConfigErrors naming the known choices.
  static TechTable for_arch(const ArchSpec& arch, std::shared_ptr<const TechData> data = TechData::shared());

  int node_nm() const { return m_node_nm; }
  SramCell cell() const { return m_cell; }
  const TechData& data() const { return *m_data; }

  // An entry at this node (pJ, um2, W/mm2, ... as its name says). Throws std::out_of_range if unknown.
  double get(std::string_view entry) const;
  std::optional<double> override_of(std::string_view entry) const;
  const std::map<std::string, double>& values() const { return m_values; }

  // One buffer of `capacity_bytes` read and written `access_bytes` at a time (per bank).
  SramCost sram(double capacity_bytes, double access_bytes) const;
  double dram_pj_per_bit(const std::string& type) const;  // throws std::out_of_range for unknown types
  DramInterfaceArea dram_interface(const std::string& type, int channels) const;

 private:
  double resolve(const std::string& name, std::map<std::string, double>& memo) const;

  std::shared_ptr<const TechData> m_data;
  int m_node_nm;
  SramCell m_cell;
  std::map<std::string, double> m_overrides;
  std::map<std::string, double> m_values;
};

// Reads arch.technology.overrides: a map from entry name to a non-negative number.
std::map<std::string, double> parse_tech_overrides(const ArchSpec& arch, const TechData& data);

}  // namespace catsim
