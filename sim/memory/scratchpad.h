#pragma once
// One core's scratchpad port as seen by its DMA engine: a fill or drain of `bytes` occupies the port for
// ceil(bytes / bytes_per_cycle) cycles. Capacity is enforced by the compiler (tiles are sized to fit).

#include <systemc>

#include "arch/arch_spec.h"

namespace catsim {

class Scratchpad : public sc_core::sc_module {
 public:
  Scratchpad(sc_core::sc_module_name name, const ArchSpec& arch)
      : sc_core::sc_module(name), m_bytes_per_cycle(static_cast<std::uint64_t>(arch.sram.bytes_per_cycle)) {}

  // Port cycles for a DMA fill (`fill` = true) or drain of `bytes`.
  std::uint64_t port_cycles(std::uint64_t bytes, bool fill) {
    (fill ? s_fill_bytes : s_drain_bytes) += bytes;
    const std::uint64_t cycles = (bytes + m_bytes_per_cycle - 1) / m_bytes_per_cycle;
    s_port_cycles += cycles;
    return cycles;
  }

  std::uint64_t fill_bytes() const { return s_fill_bytes; }
  std::uint64_t drain_bytes() const { return s_drain_bytes; }
  std::uint64_t port_busy_cycles() const { return s_port_cycles; }

 private:
  std::uint64_t m_bytes_per_cycle;
  std::uint64_t s_fill_bytes = 0;   // bytes written by DMA loads
  std::uint64_t s_drain_bytes = 0;  // bytes read by DMA stores
  std::uint64_t s_port_cycles = 0;  // cycles the DMA side of the port was busy
};

}  // namespace catsim
