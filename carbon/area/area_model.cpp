#include "carbon/area/area_model.h"

#include <algorithm>

#include "carbon/area/pe_registers.h"
#include "carbon/area/sram_layout.h"

namespace catsim {

double AreaReport::part(const std::string& key) const {
  auto it = breakdown_mm2.find(key);
  return it == breakdown_mm2.end() ? 0.0 : it->second;
}

double AreaReport::logic_mm2() const {
  return part("array") + part("vector") + part("dram.ctrl");
}

double pe_area_um2(const SystolicSpec& systolic, const TechTable& tech) {
  double int_family = 0, float_family = 0, register_bits = 0;
  for (const auto& [p, rate] : systolic.macs_per_pe_per_cycle) {
    double mac = tech.get("mac_" + std::string(name_of(p)) + "_um2") * rate;
    double& family = is_integer(p) ? int_family : float_family;
    family = std::max(family, mac);
    register_bits = std::max(register_bits, register_storage_bits(p, rate));
  }
  return int_family + float_family + register_bits * tech.get("reg_bit_um2");
}

static void add_sram(const ArchSpec& arch, const TechTable& tech, AreaReport& r) {
  for (const SramBuffer& b : sram_buffers(arch))
    r.breakdown_mm2["sram." + b.name] += b.instances * tech.sram(b.capacity_bytes, b.access_bytes).area_mm2;
}

AreaReport compute_area(const ArchSpec& arch, const TechTable& tech) {
  AreaReport r;
  double pes = static_cast<double>(arch.systolic.rows) * arch.systolic.cols * arch.cores;
  r.breakdown_mm2["array"] = pes * pe_area_um2(arch.systolic, tech) * 1e-6;
  r.breakdown_mm2["vector"] =
      static_cast<double>(arch.vector.lanes) * arch.cores * tech.get("vector_lane_um2") * 1e-6;
  add_sram(arch, tech, r);
  if (!arch.dram.type.empty() && arch.dram.channels > 0) {
    DramInterfaceArea d = tech.dram_interface(arch.dram.type, arch.dram.channels);
    r.breakdown_mm2["dram.phy"] = d.phy_mm2;
    r.breakdown_mm2["dram.ctrl"] = d.ctrl_mm2;
  }
  for (const auto& [key, mm2] : r.breakdown_mm2) r.estimated_mm2 += mm2;
  r.overridden = arch.area_mm2.has_value();
  r.area_mm2 = r.overridden ? *arch.area_mm2 : r.estimated_mm2;
  return r;
}

}  // namespace catsim
