#pragma once
// A memory shared by all cores (DRAM, or the global buffer), free of any simulation kernel: `channels`
// channels of bandwidth/channels each, an access latency and a burst size. A transfer is cut into bursts
// dealt round-robin over the channels, starting after the channel where the same DMA engine's previous
// transfer stopped (an engine's consecutive buffers interleave like addresses; engine r starts at channel
// r mod channels). Each engine deals its own bursts, so transfers that start in the same cycle are dealt
// alike in whatever order their engines run. A transfer of at least `channels` bursts counts as spread
// evenly (each channel carries bytes/channels: the remainder of at most one burst per channel is averaged); a
// shorter one occupies one channel per burst. Timing lives in FluidFlows; this holds the parameters, the split
// and the counts, for the SystemC model (SharedMemory) and the event engine alike.

#include <cstdint>
#include <vector>

#include "arch/arch_spec.h"
#include "sim/memory/flow_solver.h"

namespace catsim {

struct SharedMemoryParams {
  double bytes_per_cycle = 1;        // all channels together
  std::uint64_t latency_cycles = 0;  // from issuing a request to its data being served
  int channels = 1;
  int burst_bytes = 64;  // bytes per request
  bool ideal = false;    // transfers take no time (SCALE-Sim's CALC mode)
};

SharedMemoryParams dram_params(const ArchSpec& arch);
SharedMemoryParams global_buffer_params(const ArchSpec& arch);  // 1 channel, 1 cycle latency

class MemoryChannels {
 public:
  explicit MemoryChannels(const SharedMemoryParams& params) : m_params(params) {}

  const SharedMemoryParams& params() const { return m_params; }
  bool ideal() const { return m_params.ideal; }
  double channel_bytes_per_cycle() const { return m_params.bytes_per_cycle / m_params.channels; }

  // Deals the bursts of a `bytes` transfer over the channels and returns the bytes of its busiest channel.
  // A transfer spanning every channel evenly gets one use of `all_channels` (a resource standing for any
  // one channel when every active transfer spans them all) and sets `spans_all`; a shorter one gets one
  // use per channel it touches (channel i is resource first_channel + i), weighted by its bytes over the
  // busiest channel's bytes.
  double split(int requester, std::uint64_t bytes, int first_channel, int all_channels, std::vector<ResourceUse>& uses,
               bool& spans_all);

  void count(std::uint64_t bytes, bool write) { (write ? s_write_bytes : s_read_bytes) += bytes; }
  std::uint64_t read_bytes() const { return s_read_bytes; }
  std::uint64_t write_bytes() const { return s_write_bytes; }
  std::uint64_t busy_cycles() const;  // channel-cycles spent serving, summed over channels

 private:
  SharedMemoryParams m_params;
  std::vector<std::uint64_t> m_next_channel;  // per requester: where its next transfer's first burst goes
  std::uint64_t s_read_bytes = 0;    // bytes read by DMA loads
  std::uint64_t s_write_bytes = 0;   // bytes written by DMA stores
};

}  // namespace catsim
