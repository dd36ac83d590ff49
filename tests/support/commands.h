#pragma once
// Hand-built engine commands for timing tests: a DMA transfer (the compiler's own ProgramBuilder::dma_command)
// and an array command of a given length.

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/compile/program_builder.h"

namespace catsim::test {

inline Command dma(int core, std::uint64_t bytes, bool store, CommandDeps deps = {},
                   MemoryTarget memory = MemoryTarget::dram) {
  return ProgramBuilder::dma_command(core, bytes, store, std::move(deps), memory);
}

inline Command compute(int core, std::uint64_t cycles, CommandDeps deps) {
  Command c;
  c.unit = UnitKind::array;
  c.core = core;
  c.cycles = cycles;
  c.deps = std::move(deps);
  return c;
}

}  // namespace catsim::test
