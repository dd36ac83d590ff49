#include "sim/memory/shared_memory.h"

#include <algorithm>
#include <cmath>

namespace catsim {

SharedMemoryParams dram_params(const ArchSpec& arch) {
  return {arch.dram_bytes_per_cycle(),
          static_cast<std::uint64_t>(std::ceil(arch.dram.latency_ns * arch.clock_mhz / 1000.0)), arch.dram.channels,
          arch.dram.model == DramModel::ideal};
}

SharedMemoryParams global_buffer_params(const ArchSpec& arch) {
  return {static_cast<double>(std::max(1, arch.sram.global_bytes_per_cycle)), 1, 1, false};
}

SharedMemory::SharedMemory(sc_core::sc_module_name name, const SharedMemoryParams& params)
    : sc_core::sc_module(name),
      m_params(params),
      m_channel_bytes_per_cycle(params.bytes_per_cycle / params.channels),
      m_channel_free(static_cast<std::size_t>(params.channels), 0) {}

std::uint64_t SharedMemory::transfer(std::uint64_t now, std::uint64_t bytes, bool write) {
  (write ? s_write_bytes : s_read_bytes) += bytes;
  if (m_params.ideal || bytes == 0) return 0;
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
  return finish - now + m_params.latency_cycles;
}

}  // namespace catsim
