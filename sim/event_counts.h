#pragma once
// What one simulation did, as plain event counts: the interface between the cycle-level engine and
// the energy model (energy = counts x per-event energy + static power x time).

#include <cstdint>
#include <map>
#include <string>

#include "arch/precision.h"

namespace catsim {

struct EventCounts {
  std::uint64_t cycles = 0;                           // simulated makespan, cycles
  double clock_mhz = 0;                               // clock the cycles are counted at
  std::map<Precision, std::uint64_t> macs;            // MACs executed, by compute precision
  std::map<std::string, std::uint64_t> sram_read_bytes;   // bytes, by buffer: ifmap, weight, ofmap, vector, global
  std::map<std::string, std::uint64_t> sram_write_bytes;  // bytes, by buffer
  std::uint64_t dram_read_bytes = 0;                  // bytes
  std::uint64_t dram_write_bytes = 0;                 // bytes
  std::map<std::string, std::uint64_t> vector_ops;    // element operations, by kind (see kVectorOps)
  std::uint64_t dma_transfers = 0;                    // DMA commands issued
  std::uint64_t array_busy_cycles = 0;                // summed over cores
  std::uint64_t vector_busy_cycles = 0;               // summed over cores

  double seconds() const { return clock_mhz > 0 ? static_cast<double>(cycles) / (clock_mhz * 1e6) : 0.0; }
};

}  // namespace catsim
