#pragma once
// Shared DRAM: `channels` independent channels, each with 1/channels of the peak bandwidth. A transfer
// is interleaved evenly over all channels and served first-come first-served on each, so concurrent DMAs
// of different cores contend; it completes when its last chunk has arrived plus the access latency.

#include <systemc>
#include <vector>

#include "arch/arch_spec.h"

namespace catsim {

class Dram : public sc_core::sc_module {
 public:
  Dram(sc_core::sc_module_name name, const ArchSpec& arch);

  // Cycles from `now` until a transfer of `bytes` requested now completes.
  std::uint64_t transfer(std::uint64_t now, std::uint64_t bytes, bool write);

  bool ideal() const { return m_ideal; }
  std::uint64_t read_bytes() const { return s_read_bytes; }
  std::uint64_t write_bytes() const { return s_write_bytes; }
  std::uint64_t busy_cycles() const { return s_busy_cycles; }  // summed over channels

 private:
  bool m_ideal;
  double m_channel_bytes_per_cycle;
  std::uint64_t m_latency_cycles;
  std::vector<std::uint64_t> m_channel_free;  // first cycle each channel is idle
  std::uint64_t s_read_bytes = 0, s_write_bytes = 0, s_busy_cycles = 0;
};

}  // namespace catsim
