#pragma once
// How fast one DRAM channel serves a mix of concurrent sequential streams — `reads` read streams and `writes`
// write streams, as DMA transfers are — measured by running the part's bank-level controller on them: the share
// of the data bus's peak it sustains (row switches, tRRD and tFAW, refresh, bus turnarounds, write drains),
// and the row activations per burst. The fluid memory model (fluid_flows.h) runs each channel of a `banked`
// DRAM at its peak times this share for the transfers then in flight: the fast path that keeps a run's events
// proportional to its transfers, not its bursts.

#include <cstdint>
#include <utility>

#include "arch/dram_device.h"
#include "sim/memory/dram/dram_controller.h"

namespace catsim {

class DramStreamProfile {
 public:
  // Streams per direction that are measured; a mix with more uses this many (a channel's queue holds 32
  // requests, so a few streams already interleave as many rows as it sees at once).
  static constexpr int kMaxStreams = 4;
  // Bursts per measured mix: each stream crosses rows several times (DDR4-2400: 16,384 clocks of data). The
  // refreshes that fall inside are taken out and the long-run share tRFC / tREFI put back, so the figure does
  // not depend on how many refresh intervals the measurement happens to span.
  static constexpr std::uint64_t kBursts = 4096;

  // Measures `device`'s mixes under `policy` into `table` (both outlive the profile; one table per policy).
  DramStreamProfile(const DramDevice& device, DramMixTable& table, DramPolicy policy = {})
      : m_device(device), m_table(table), m_policy(std::move(policy)) {}

  // The mix of `reads` and `writes` streams (each clamped to kMaxStreams), measured on first use. No stream:
  // efficiency 1, no activations.
  const StreamMix& mix(int reads, int writes);

  const DramDevice& device() const { return m_device; }
  const DramPolicy& policy() const { return m_policy; }

 private:
  StreamMix measure(int reads, int writes) const;

  const DramDevice& m_device;
  DramMixTable& m_table;
  DramPolicy m_policy;
};

}  // namespace catsim
