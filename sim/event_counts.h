#pragma once
// What one simulation did, as plain event counts: the interface between the cycle-level engine and
// the energy model (energy = counts x per-event energy + static power x time).

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "arch/precision.h"
#include "arch/vector_op.h"
#include "sim/enum_counts.h"

namespace catsim {

// The on-chip buffers SRAM traffic is counted for: the scratchpad's ifmap, weight, ofmap and vector
// regions, and the global buffer shared by the cores.
enum class SramBufferKind { ifmap, weight, ofmap, vector, global };
inline constexpr std::size_t kSramBufferKinds = 5;
static_assert(static_cast<std::size_t>(SramBufferKind::global) + 1 == kSramBufferKinds);

constexpr std::string_view name_of(SramBufferKind b) {
  switch (b) {
    case SramBufferKind::ifmap: return "ifmap";
    case SramBufferKind::weight: return "weight";
    case SramBufferKind::ofmap: return "ofmap";
    case SramBufferKind::vector: return "vector";
    case SramBufferKind::global: return "global";
  }
  return "?";
}

static_assert(static_cast<std::size_t>(Precision::int4) + 1 == std::size(kAllPrecisions),
              "kAllPrecisions lists Precision in enum order");

using MacCounts = EnumCounts<Precision, std::size(kAllPrecisions)>;  // MACs
using SramByteCounts = EnumCounts<SramBufferKind, kSramBufferKinds>;  // bytes
using VectorOpCounts = EnumCounts<VectorOp, kVectorOpCount>;          // element operations

struct EventCounts {
  std::uint64_t cycles = 0;                // simulated makespan, cycles
  double clock_mhz = 0;                    // clock the cycles are counted at
  MacCounts macs;                          // MACs executed, by compute precision
  SramByteCounts sram_read_bytes;          // bytes, by buffer
  SramByteCounts sram_write_bytes;         // bytes, by buffer
  std::uint64_t dram_read_bytes = 0;       // bytes
  std::uint64_t dram_write_bytes = 0;      // bytes
  std::uint64_t dram_activates = 0;        // banked DRAM: row activations, each with its precharge
  std::uint64_t dram_refreshes = 0;        // banked DRAM: all-bank refreshes, over every part side by side
  std::uint64_t dram_open_cycles = 0;      // banked DRAM: cycles with a row open (standby at IDD3N, else IDD2N)
  VectorOpCounts vector_ops;               // element operations, by kind
  std::uint64_t dma_transfers = 0;         // DMA commands issued
  std::uint64_t array_busy_cycles = 0;     // summed over cores
  std::uint64_t vector_busy_cycles = 0;    // summed over cores

  double seconds() const { return clock_mhz > 0 ? static_cast<double>(cycles) / (clock_mhz * 1e6) : 0.0; }
};

}  // namespace catsim
