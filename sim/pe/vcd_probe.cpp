#include "sim/pe/vcd_probe.h"

#include <string>

namespace catsim {

VcdProbe::VcdProbe(VcdWriter& vcd, ArrayShape array) : m_vcd(vcd) {
  if (array.rows <= kMaxSide && array.cols <= kMaxSide)
    for (int r = 0; r < array.rows; ++r)
      for (int c = 0; c < array.cols; ++c)
        m_pe_wires.push_back(
            vcd.add_wire("pe_" + std::to_string(r) + "_" + std::to_string(c) + "_active", 1));
  m_active_count = vcd.add_wire("active_pes", 32);
  m_acc00 = vcd.add_wire("pe_0_0_acc", 32);
  m_fold = vcd.add_wire("fold", 32);
}

void VcdProbe::sample(std::int64_t cycle, const std::vector<std::uint8_t>& active, std::uint32_t acc00_bits,
                      int fold) {
  const auto time = static_cast<std::uint64_t>(cycle);
  std::uint64_t count = 0;
  for (std::size_t i = 0; i < active.size(); ++i) {
    count += active[i];
    if (!m_pe_wires.empty()) m_vcd.sample(time, m_pe_wires[i], active[i]);
  }
  m_vcd.sample(time, m_active_count, count);
  m_vcd.sample(time, m_acc00, acc00_bits);
  m_vcd.sample(time, m_fold, static_cast<std::uint64_t>(fold));
}

}  // namespace catsim
