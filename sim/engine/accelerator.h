#pragma once
// The cycle-level engine's interface: simulate() runs a compiled program on the SystemC model (per core a
// load and a store DMA engine, a systolic array and a vector unit, all sharing one DRAM and an optional
// global buffer) and returns every command's times and the units' statistics. Free of SystemC headers: the
// model itself lives in the engine module (engine_entry.h), which a program links or loads on first use.

#include <memory>
#include <vector>

#include "arch/arch_spec.h"
#include "sim/compile/program.h"
#include "sim/memory/service_segment.h"

namespace catsim {

// Start and end cycle of every command, filled in as the program runs.
struct CommandTimes {
  std::vector<std::uint64_t> start, end;
};

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
  std::uint64_t dram_activates = 0;    // banked DRAM: row activations (each closed by a precharge)
  std::uint64_t dram_open_cycles = 0;  // banked DRAM: cycles with a row open in some bank
  std::vector<ServiceSegment> dram_service;  // when DRAM served how many bytes (for traces)
  std::uint64_t dma_transfers = 0;
  std::uint64_t array_port_stall_cycles = 0;  // `sram.array_port: shared`: array cycles lost to the port
};

// Runs `program` on `arch`. SystemC elaborates once per process: call at most once per process
// (the search and multi-run commands fork a child per run). A program that does not link the engine
// loads the engine module (libcatsim_engine.so) here; ConfigError when it is not installed.
EngineResult simulate(const ArchSpec& arch, const Program& program);

// Loads the engine module now if this program does not link the engine, so that children forked later
// inherit it instead of each loading it again.
void preload_engine();

}  // namespace catsim
