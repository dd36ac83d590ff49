#pragma once
// Emits a matmul under a chosen split: share j on core (first_core + j), each share's commands in its mapping,
// and a K split's reduction. The compiler emits every matmul through it, and the op timer (op_timer.h) emits
// candidate splits through it into programs of their own, so a candidate is timed as it would be compiled.

#include "sim/compile/core_split.h"
#include "sim/compile/program_builder.h"

namespace catsim {

// Fills the op's plan (cores, SRAM counts, skipped tiles) and emits its commands; `p` is the op's GEMM.
void emit_matmul(ProgramBuilder& b, const Op& op, const GemmProblem& p, const GemmSplit& split, int first_core);

}  // namespace catsim
