#include "sim/pe/run_recorder.h"

#include <algorithm>
#include <stdexcept>

namespace catsim {

RunRecorder::RunRecorder(ArrayShape array, VcdWriter* vcd) : m_array(array) {
  if (vcd == nullptr) return;
  m_probe = std::make_unique<VcdProbe>(*vcd, array);
  m_active_bits.assign(static_cast<std::size_t>(array.rows) * static_cast<std::size_t>(array.cols), 0);
}

void RunRecorder::mark_active(int row, int col, std::int64_t macs) {
  ++m_active_now;
  m_useful_macs += static_cast<std::uint64_t>(macs);
  if (m_probe)
    m_active_bits[static_cast<std::size_t>(row) * static_cast<std::size_t>(m_array.cols) + col] = 1;
}

void RunRecorder::end_cycle(std::int64_t cycle, std::uint32_t acc00_bits, int fold) {
  m_active_per_cycle.push_back(m_active_now);
  m_active_now = 0;
  if (!m_probe) return;
  m_probe->sample(cycle, m_active_bits, acc00_bits, fold);
  std::fill(m_active_bits.begin(), m_active_bits.end(), 0);
}

void RunRecorder::finish(std::int64_t cycles) {
  const auto n = static_cast<std::size_t>(cycles);
  const auto stepped = static_cast<std::int64_t>(m_active_per_cycle.size());
  if (m_probe) m_probe->finish(std::max(cycles, stepped));
  if (m_active_per_cycle.size() > n) {
    if (std::any_of(m_active_per_cycle.begin() + static_cast<std::ptrdiff_t>(n), m_active_per_cycle.end(),
                    [](int a) { return a != 0; }))
      throw std::logic_error("PE model: a useful MAC happened after the counted end of the run");
    m_active_per_cycle.resize(n);
  }
}

}  // namespace catsim
