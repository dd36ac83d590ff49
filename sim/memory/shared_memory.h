#pragma once
// A memory shared by all cores: `channels` independent channels, each with 1/channels of the peak
// bandwidth. A transfer is interleaved evenly over all channels and served first come, first served on
// each, so concurrent DMAs of different cores contend; it completes when its last chunk has arrived plus
// the access latency. Used for DRAM and for the shared global buffer.

#include <systemc>
#include <vector>

#include "arch/arch_spec.h"

namespace catsim {

struct SharedMemoryParams {
  double bytes_per_cycle = 1;        // all channels together
  std::uint64_t latency_cycles = 0;  // added to every transfer
  int channels = 1;
  bool ideal = false;                // transfers take no time (SCALE-Sim's CALC mode)
};

SharedMemoryParams dram_params(const ArchSpec& arch);
SharedMemoryParams global_buffer_params(const ArchSpec& arch);  // 1 channel, 1 cycle latency

class SharedMemory : public sc_core::sc_module {
 public:
  SharedMemory(sc_core::sc_module_name name, const SharedMemoryParams& params);

  // Cycles from `now` until a transfer of `bytes` requested now completes.
  std::uint64_t transfer(std::uint64_t now, std::uint64_t bytes, bool write);

  bool ideal() const { return m_params.ideal; }
  std::uint64_t read_bytes() const { return s_read_bytes; }
  std::uint64_t write_bytes() const { return s_write_bytes; }
  std::uint64_t busy_cycles() const { return s_busy_cycles; }  // summed over channels

 private:
  SharedMemoryParams m_params;
  double m_channel_bytes_per_cycle;
  std::vector<std::uint64_t> m_channel_free;  // first cycle each channel is idle
  std::uint64_t s_read_bytes = 0;   // bytes read by DMA loads
  std::uint64_t s_write_bytes = 0;  // bytes written by DMA stores
  std::uint64_t s_busy_cycles = 0;  // channel-cycles spent transferring
};

}  // namespace catsim
