#include "sim/engine/dram.h"

#include <algorithm>
#include <cmath>

namespace catsim {

Dram::Dram(sc_core::sc_module_name name, const ArchSpec& arch)
    : sc_core::sc_module(name),
      m_ideal(arch.dram.model == DramModel::ideal),
      m_channel_bytes_per_cycle(arch.dram_bytes_per_cycle() / arch.dram.channels),
      m_latency_cycles(static_cast<std::uint64_t>(std::ceil(arch.dram.latency_ns * arch.clock_mhz / 1000.0))),
      m_channel_free(static_cast<std::size_t>(arch.dram.channels), 0) {}

std::uint64_t Dram::transfer(std::uint64_t now, std::uint64_t bytes, bool write) {
  (write ? s_write_bytes : s_read_bytes) += bytes;
  if (m_ideal || bytes == 0) return 0;
  const std::uint64_t channels = m_channel_free.size();
  std::uint64_t finish = now;
  for (std::uint64_t ch = 0; ch < channels; ++ch) {
    const std::uint64_t chunk = bytes / channels + (ch < bytes % channels ? 1 : 0);
    if (chunk == 0) continue;
    const auto cycles = static_cast<std::uint64_t>(std::ceil(static_cast<double>(chunk) / m_channel_bytes_per_cycle));
    const std::uint64_t start = std::max(now, m_channel_free[ch]);
    m_channel_free[ch] = start + cycles;
    s_busy_cycles += cycles;
    finish = std::max(finish, m_channel_free[ch]);
  }
  return finish - now + m_latency_cycles;
}

}  // namespace catsim
