#include "arch/arch_spec.h"

namespace catsim {

double ArchSpec::peak_macs_per_cycle(Precision p) const {
  auto it = systolic.macs_per_pe_per_cycle.find(p);
  if (it == systolic.macs_per_pe_per_cycle.end()) return 0.0;
  return static_cast<double>(cores) * systolic.rows * systolic.cols * it->second;
}

double ArchSpec::peak_tops(Precision p) const { return 2.0 * peak_macs_per_cycle(p) * clock_mhz * 1e6 / 1e12; }

}  // namespace catsim
