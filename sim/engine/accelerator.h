#pragma once
// The SystemC top level: per core a load and a store DMA engine, a systolic array and a vector unit,
// all sharing one DRAM (and an optional global buffer). simulate() elaborates it once for a compiled program and runs it to completion.

#include <memory>
#include <vector>

#include "arch/arch_spec.h"
#include "sim/compile/program.h"
#include "sim/engine/command_unit.h"
#include "sim/memory/service_segment.h"

namespace catsim {

struct UnitStats {
  int core = 0;
  UnitKind unit = UnitKind::dma_load;
  std::uint64_t busy_cycles = 0;
  std::uint64_t commands = 0;
};

struct EngineResult {
  std::uint64_t cycles = 0;  // makespan: end of the last command
  CommandTimes times;
  std::vector<UnitStats> units;
  std::uint64_t macs = 0;
  std::uint64_t dram_read_bytes = 0, dram_write_bytes = 0;
  std::uint64_t global_read_bytes = 0, global_write_bytes = 0;  // global buffer, by DMA loads / stores
  std::uint64_t dram_busy_cycles = 0;  // summed over channels
  std::vector<ServiceSegment> dram_service;  // when DRAM served how many bytes (for traces)
  std::uint64_t dma_transfers = 0;
  std::uint64_t array_port_stall_cycles = 0;  // `sram.array_port: shared`: array cycles lost to the port
};

// Runs `program` on `arch`. SystemC elaborates once per process: call at most once per process
// (the search and multi-run commands fork a child per run).
EngineResult simulate(const ArchSpec& arch, const Program& program);

}  // namespace catsim
