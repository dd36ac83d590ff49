#pragma once
// How fast one DRAM channel serves a mix of concurrent sequential streams — `reads` read streams and `writes`
// write streams, as DMA transfers are — measured by running the part's bank-level controller on them: the share
// of the data bus's peak it sustains (row switches, tRRD and tFAW, refresh, bus turnarounds, write drains),
// and the row activations per burst. The fluid memory model (fluid_flows.h) runs each channel of a `banked`
// DRAM at its peak times this share for the transfers then in flight: the fast path that keeps a run's events
// proportional to its transfers, not its bursts.

#include <cstdint>
#include <map>
#include <mutex>
#include <utility>

#include "arch/dram_device.h"
#include "sim/memory/dram/dram_controller.h"

namespace catsim {

struct StreamMix {
  // Bursts x burst clocks over the clocks they took after the first access, refreshes taken out, times
  // 1 - tRFC / tREFI.
  double efficiency = 1;
  double activates_per_burst = 0;  // ACTs (each later closed by a PRE) per burst served, past each stream's first
};

class DramStreamProfile {
 public:
  // Streams per direction that are measured; a mix with more uses this many (a channel's queue holds 32
  // requests, so a few streams already interleave as many rows as it sees at once).
  static constexpr int kMaxStreams = 4;
  // Bursts per measured mix: each stream crosses rows several times (DDR4-2400: 16,384 clocks of data). The
  // refreshes that fall inside are taken out and the long-run share tRFC / tREFI put back, so the figure does
  // not depend on how many refresh intervals the measurement happens to span.
  static constexpr std::uint64_t kBursts = 4096;

  explicit DramStreamProfile(const DramDevice& device, DramPolicy policy = {});

  // The mix of `reads` and `writes` streams (each clamped to kMaxStreams), measured on first use. No stream:
  // efficiency 1, no activations.
  const StreamMix& mix(int reads, int writes);

  const DramDevice& device() const { return m_device; }

  // The profile of `device` under the default policy, shared by every engine run of the process (the op timer
  // runs thousands): measured once per mix and part.
  static DramStreamProfile& shared(const DramDevice& device);

 private:
  StreamMix measure(int reads, int writes) const;

  DramDevice m_device;
  DramPolicy m_policy;
  std::mutex m_mutex;  // guards m_mixes (its entries stay where they are once measured)
  std::map<std::pair<int, int>, StreamMix> m_mixes;
};

}  // namespace catsim
