#pragma once
// The engine's timing without SystemC: runs a compiled program through the same unit rules (units.h) and the
// same memory timing (FluidFlows) on a plain event queue, as often as a process likes. The mapper ranks an
// op's candidate schedules by this time (the time the engine gives the op run alone), and the tests hold it
// equal, command by command, to the SystemC model.

#include <optional>

#include "arch/arch_spec.h"
#include "sim/compile/program.h"
#include "sim/engine/accelerator.h"

namespace catsim {

// Runs `program` on `arch`; the same result as simulate() (every command's times, the units' statistics,
// bytes and DRAM service).
EngineResult run_events(const ArchSpec& arch, const Program& program);

// The makespan of `program`, or nullopt as soon as it is known to exceed `deadline` (the run stops there):
// a candidate that cannot beat the best so far costs only the time up to the best.
std::optional<std::uint64_t> makespan_within(const ArchSpec& arch, const Program& program, std::uint64_t deadline);

}  // namespace catsim
