#pragma once
// Emits one core's share of a matmul: operand loads, array commands chained along the core's fold order
// (their busy cycles from the fold chain), and stores, in the tile loop order and residency of the share's
// mapping, skipping the tiles a causal mask hides.

#include "sim/compile/core_split.h"
#include "sim/compile/program_builder.h"

namespace catsim {

// `whole`: the op's GEMM as the mapping saw it (a K share's: its partial-sums problem); `partial`: a K
// share, whose results are partial sums for the reduction rather than the op's output.
void emit_matmul_share(ProgramBuilder& builder, const Op& op, const GemmProblem& whole, int core, const CoreGemm& share,
                       bool partial);

}  // namespace catsim
