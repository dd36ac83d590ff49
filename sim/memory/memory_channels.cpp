#include "sim/memory/memory_channels.h"

#include <algorithm>
#include <cmath>

namespace catsim {

SharedMemoryParams dram_params(const ArchSpec& arch) {
  return {arch.dram_bytes_per_cycle(),
          static_cast<std::uint64_t>(std::ceil(arch.dram_latency_cycles())),
          arch.dram.channels, arch.dram.burst_bytes, arch.dram.model == DramModel::ideal};
}

SharedMemoryParams global_buffer_params(const ArchSpec& arch) {
  return {static_cast<double>(std::max(1, arch.sram.global_bytes_per_cycle)), 1, 1, arch.dram.burst_bytes,
          false};
}

double MemoryChannels::split(int requester, std::uint64_t bytes, int first_channel, int all_channels,
                             std::vector<ResourceUse>& uses, bool& spans_all) {
  const auto channels = static_cast<std::uint64_t>(m_params.channels);
  const auto burst = static_cast<std::uint64_t>(m_params.burst_bytes);
  const std::uint64_t bursts = std::max<std::uint64_t>(1, (bytes + burst - 1) / burst);
  const auto r = static_cast<std::size_t>(requester);
  while (m_next_channel.size() <= r) m_next_channel.push_back(m_next_channel.size() % channels);
  const std::uint64_t first = m_next_channel[r];
  m_next_channel[r] = (first + bursts % channels) % channels;
  spans_all = bursts >= channels;
  if (spans_all) {
    uses.push_back({all_channels, 1.0});
    return static_cast<double>(bytes) / static_cast<double>(channels);
  }
  // One burst per channel; the last one may be short.
  const std::uint64_t last = bytes - (bursts - 1) * burst;
  const auto busiest = static_cast<double>(bursts > 1 ? burst : last);
  for (std::uint64_t j = 0; j < bursts; ++j) {
    std::uint64_t ch = first + j;
    if (ch >= channels) ch -= channels;
    uses.push_back(
        {first_channel + static_cast<int>(ch), static_cast<double>(j + 1 < bursts ? burst : last) / busiest});
  }
  return busiest;
}

std::uint64_t MemoryChannels::busy_cycles() const {
  if (m_params.ideal) return 0;
  return static_cast<std::uint64_t>(
      std::ceil(static_cast<double>(s_read_bytes + s_write_bytes) / channel_bytes_per_cycle()));
}

}  // namespace catsim
