#pragma once
// Emits one core's share of a matmul: operand loads, array commands chained along the core's fold order
// (their busy cycles from the fold chain), and stores, in the tile loop order and residency of the share's
// mapping, skipping the tiles a causal mask hides.

#include <cstdint>
#include <vector>

#include "sim/compile/core_split.h"
#include "sim/compile/program_builder.h"

namespace catsim {

// `whole`: the op's GEMM as the mapping saw it (a K share's: its partial-sums problem); `partial`: a K
// share, whose results are partial sums for the reduction rather than the op's output.
// A share's first OS tile runs in fold groups, so the array starts once one fold's operands are in: its
// range along one array dimension cut at whole folds of `unit`, in at most kMaxFoldGroups groups (a tiny
// array's tile has thousands of folds: at most 64 commands and 16 loads where the whole tile takes 1 and 2).
inline constexpr std::int64_t kMaxFoldGroups = 8;
struct FoldGroup {
  std::int64_t lo, hi;
};
std::vector<FoldGroup> first_tile_fold_groups(std::int64_t lo, std::int64_t hi, std::int64_t unit);

void emit_matmul_share(ProgramBuilder& builder, const Op& op, const GemmProblem& whole, int core, const CoreGemm& share,
                       bool partial);

}  // namespace catsim
