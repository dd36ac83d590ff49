#pragma once
// One core's scratchpad as seen by its DMA engines: counts the bytes they fill and drain. Its port
// bandwidth (`sram.bytes_per_cycle`, shared by the load and store DMA) is timed by MemorySystem;
// capacity is enforced by the compiler (tiles are sized to fit).

#include <systemc>

#include "arch/arch_spec.h"

namespace catsim {

class Scratchpad : public sc_core::sc_module {
 public:
  explicit Scratchpad(sc_core::sc_module_name name) : sc_core::sc_module(name) {}

  void count(std::uint64_t bytes, bool fill) { (fill ? s_fill_bytes : s_drain_bytes) += bytes; }
  std::uint64_t fill_bytes() const { return s_fill_bytes; }
  std::uint64_t drain_bytes() const { return s_drain_bytes; }

 private:
  std::uint64_t s_fill_bytes = 0;   // bytes written by DMA loads
  std::uint64_t s_drain_bytes = 0;  // bytes read by DMA stores
};

}  // namespace catsim
