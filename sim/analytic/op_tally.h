#pragma once
// What each op of a graph adds up to on the accelerator: busy cycles per core, bytes by memory and
// direction, DMA commands, MACs. Taken from a compiled program, or counted in closed form from the
// compiler's own decisions without emitting a command (the fast path of the estimators).

#include <cstdint>
#include <vector>

#include "arch/arch_spec.h"
#include "sim/compile/op_timer.h"
#include "sim/compile/program.h"
#include "workloads/model_spec.h"
#include "workloads/op_graph.h"

namespace catsim {

struct OpTally {
  std::vector<std::uint64_t> array, vector;                                        // busy cycles per core
  std::uint64_t dram_read = 0, dram_write = 0, global_read = 0, global_write = 0;  // bytes
  std::uint64_t dma = 0;                                                           // DMA commands
  std::uint64_t macs = 0;  // MACs the array commands run (a causal mask skips tiles)
};

// Sums a compiled program's commands per op.
std::vector<OpTally> tally_program(const Program& program, std::size_t ops);

// The same tallies and op plans (note, split, SRAM and vector counts) without compiling: the compiler's
// placement, residency, core split and mapping (ProgramBuilder, choose_gemm_split), each share's tiles
// walked in the emitter's loop order and counted, not emitted. Equal matmul problems are mapped and
// counted once. Equal to tally_program of the compiled graph, op by op (tests/unit/sim/test_analytic.cpp).
struct GraphTally {
  std::vector<OpPlan> plans;
  std::vector<OpTally> ops;
};
// `choice`: how matmul schedules are chosen; the estimators' fast path takes the estimate's (no candidate
// run), and equals a program compiled with the same choice.
GraphTally tally_graph(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph,
                       MapperChoice choice = MapperChoice::estimate);

}  // namespace catsim
