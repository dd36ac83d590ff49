#pragma once
// Die area of a design from its parts: systolic PEs, vector lanes, SRAM macros and the DRAM PHY and
// controller. An `area_mm2` given in arch.yaml replaces the total (the parts are still reported).

#include <map>
#include <string>

#include "arch/arch_spec.h"
#include "carbon/tech/tech_table.h"

namespace catsim {

struct AreaReport {
  double area_mm2 = 0;       // the die area used downstream: arch.area_mm2 if given, else the estimate
  double estimated_mm2 = 0;  // sum of the breakdown
  bool overridden = false;
  // array, vector, sram.<buffer> (scratchpad|ifmap|weight|ofmap|global), dram.phy, dram.ctrl
  std::map<std::string, double> breakdown_mm2;

  double part(const std::string& key) const;
  double logic_mm2() const;  // array + vector + dram.ctrl: the parts that leak like logic
};

// Area of one PE, um2. Multi-precision rule: per precision, MAC area x MACs per PE per cycle; the
// integer formats (int8, int4) share one datapath and the float formats (fp32, fp16, bf16) another,
// so each family costs its largest member and the two families add. Sum-of-all would double count
// Bit Fusion-style or shared-significand units; max-of-all would pretend int and float share a
// multiplier. Registers: the largest storage any supported precision needs (operands + accumulator).
double pe_area_um2(const SystolicSpec& systolic, const TechTable& tech);

AreaReport compute_area(const ArchSpec& arch, const TechTable& tech);

}  // namespace catsim
