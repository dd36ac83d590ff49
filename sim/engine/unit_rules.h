#pragma once
// The timing rules of the engine's units and its totals, free of any simulation kernel: the SystemC units
// (units.h, accelerator.cpp) and the event engine (event_engine.cpp) both apply these, so the two give every
// command the same cycles and every run the same statistics.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/compile/program.h"
#include "sim/engine/accelerator.h"
#include "sim/memory/memory_channels.h"
#include "sim/memory/service_segment.h"

namespace catsim {

// When a DMA command's data moves. Its requests issue in program order once its dependencies have
// finished, even while the previous command's data is still arriving; the engine is busy from the issue,
// or from the previous command's end if that is later; data flows after the memory's latency, and never
// before `now` (the engine took the command once the previous one was through).
struct DmaTiming {
  std::uint64_t issue, start, arrive;
};
inline DmaTiming dma_timing(const Command& cmd, const CommandTimes& times, std::uint64_t last_issue,
                            std::uint64_t last_end, std::uint64_t latency, std::uint64_t now) {
  std::uint64_t issue = last_issue;
  for (CommandId d : cmd.deps) issue = std::max(issue, times.end[d]);
  return {issue, std::max(issue, last_end), std::max(issue + latency, now)};
}

// An array command under `sram.array_port: shared`: its scratchpad bytes pass the core's port too, so it
// takes at least bytes / port cycles, and holds `bytes_per_cycle` of the port while it runs.
struct PortedArrayTiming {
  std::uint64_t cycles;
  double bytes_per_cycle;
};
inline PortedArrayTiming on_shared_port(const Command& cmd, double port_bytes_per_cycle) {
  const auto need = static_cast<std::uint64_t>(std::ceil(static_cast<double>(cmd.sram_bytes) / port_bytes_per_cycle));
  const std::uint64_t cycles = std::max(cmd.cycles, need);
  return {cycles, static_cast<double>(cmd.sram_bytes) / static_cast<double>(cycles)};
}

// The memories' totals of a run: bytes by direction, DRAM busy channel-cycles and its service over time, and
// (banked DRAM) its row activations and the cycles a row was open.
inline void add_memory_stats(EngineResult& r, const MemoryChannels& dram, const MemoryChannels* global,
                             const std::vector<ServiceSegment>& dram_service, double dram_activates,
                             double dram_open_cycles) {
  r.dram_activates = static_cast<std::uint64_t>(std::llround(dram_activates));
  r.dram_open_cycles = static_cast<std::uint64_t>(std::llround(dram_open_cycles));
  r.dram_read_bytes = dram.read_bytes();
  r.dram_write_bytes = dram.write_bytes();
  r.dram_busy_cycles = dram.busy_cycles();
  r.dram_service = dram_service;
  if (global) {
    r.global_read_bytes = global->read_bytes();
    r.global_write_bytes = global->write_bytes();
  }
}

}  // namespace catsim
