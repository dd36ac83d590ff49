#pragma once
// CACTI 7 SRAM sweep (configs/tech/sram_cacti7.yaml): per-access energy, area and leakage of one macro as
// a function of capacity and node, for high-performance (itrs-hp) cells. Cell-type ratios and access
// width are applied by TechTable.

#include <map>
#include <vector>

#include "arch/config/config_node.h"
#include "carbon/tech/node_scaling.h"

namespace catsim {

// One SRAM macro. Energies are per access of SramTable::access_bits().
struct SramMacro {
  double read_pj = 0;
  double write_pj = 0;
  double area_mm2 = 0;
  double leak_w = 0;
};

class SramTable {
 public:
  static SramTable load(const ConfigNode& root);

  // Macro of `capacity_bytes` at `node_nm`: interpolated in log2(capacity); nodes without their own
  // sweep are interpolated (log-log) between sweep nodes or scaled from the nearest one.
  SramMacro macro(double capacity_bytes, double node_nm, const NodeScaling& scaling) const;
  int access_bits() const { return m_access_bits; }

 private:
  struct Point {
    double capacity_bytes;
    SramMacro m;
  };
  SramMacro at_sweep_node(double sweep_node, double capacity_bytes) const;

  std::map<double, std::vector<Point>> m_points;  // by node, sorted by capacity
  int m_access_bits = 512;
};

}  // namespace catsim
