#include "sim/memory/dram/stream_profile.h"

#include <algorithm>
#include <mutex>

namespace catsim {

const StreamMix& DramStreamProfile::mix(int reads, int writes) {
  const std::pair<int, int> key{std::clamp(reads, 0, kMaxStreams), std::clamp(writes, 0, kMaxStreams)};
  const std::lock_guard<std::mutex> lock(m_table.mutex);
  auto it = m_table.mixes.find(key);
  if (it == m_table.mixes.end()) it = m_table.mixes.emplace(key, measure(key.first, key.second)).first;
  return it->second;
}

StreamMix DramStreamProfile::measure(int reads, int writes) const {
  const int streams = reads + writes;
  if (streams == 0) return {};
  const std::uint64_t burst = m_device.org.burst_bytes();
  // Each stream starts in a row and bank of its own: stream s begins s x (37 rows of every bank + 3 rows) into
  // the address space, so no two walk the same rows in step.
  const std::uint64_t row_span = m_device.org.row_bytes() * static_cast<std::uint64_t>(m_device.org.banks());
  const std::uint64_t stride = 37 * row_span + 3 * m_device.org.row_bytes();
  const std::uint64_t rows = static_cast<std::uint64_t>(std::max<std::int64_t>(1, m_device.org.rows));
  const std::uint64_t space = rows * row_span;
  const std::uint64_t per_stream = kBursts / static_cast<std::uint64_t>(streams);
  DramController controller(m_device, m_policy);
  // All requests wait from clock 0, the streams' bursts interleaved one by one as their DMA engines issue them.
  for (std::uint64_t i = 0; i < per_stream; ++i)
    for (int s = 0; s < streams; ++s) {
      const std::uint64_t base = static_cast<std::uint64_t>(s) * stride % space;
      controller.enqueue({(base + i * burst) % space, s >= reads, 0});
    }
  controller.drain();
  const DramStats st = controller.stats();
  const std::uint64_t bursts = per_stream * static_cast<std::uint64_t>(streams);
  // The first access's latency (ACT to data) is the memory's latency, paid apart; the rest is throughput.
  const DramTiming& t = m_device.timing;
  const auto first = static_cast<std::uint64_t>(t.rcd + t.cl);
  const double busy = static_cast<double>(bursts) * m_device.org.burst_cycles();
  const double refreshing = static_cast<double>(st.refreshes) * t.rfc;
  const double took = std::max(busy, static_cast<double>(st.end > first ? st.end - first : 0) - refreshing);
  const double refresh_share = std::min(1.0, static_cast<double>(t.rfc) / std::max(1, t.refi));
  const double activates = st.activates > static_cast<std::uint64_t>(streams) ? static_cast<double>(st.activates - streams) : 0.0;
  const double open = st.end > 0 ? std::min(1.0, static_cast<double>(st.open_cycles) / static_cast<double>(st.end)) : 1.0;
  return {busy / took * (1 - refresh_share), activates / static_cast<double>(bursts), open};
}

}  // namespace catsim
