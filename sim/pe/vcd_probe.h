#pragma once

#include <cstdint>
#include <vector>

#include "sim/pe/vcd_writer.h"
#include "sim/systolic/fold_timing.h"

namespace catsim {

// Chooses which array signals go into a VCD and samples them each cycle: the per-PE active bit
// (arrays up to 16x16), the number of active PEs, PE(0,0)'s accumulator and the fold being streamed.
class VcdProbe {
 public:
  static constexpr int kMaxSide = 16;  // larger arrays dump only the summary signals

  VcdProbe(VcdWriter& vcd, ArrayShape array);

  // `active` holds one byte per PE, row-major; `acc00_bits` is PE(0,0)'s accumulator as raw 32 bits.
  void sample(std::int64_t cycle, const std::vector<std::uint8_t>& active, std::uint32_t acc00_bits,
              int fold);
  void finish(std::int64_t cycles) { m_vcd.finish(static_cast<std::uint64_t>(cycles)); }

 private:
  VcdWriter& m_vcd;
  std::vector<int> m_pe_wires;  // empty when the array is larger than kMaxSide on a side
  int m_active_count = 0;
  int m_acc00 = 0;
  int m_fold = 0;
};

}  // namespace catsim
