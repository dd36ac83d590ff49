#pragma once
// Splits one GEMM over some or all cores to minimize its makespan: over instances (heads, batch), M, N, or
// a grid of M x N, at fold granularity where the dimension is spatial; each share gets its own mapping. A
// memory-bound op may run faster on fewer cores (no duplicated operand reads); the idle ones run other ops.

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/compile/gemm_mapping.h"

namespace catsim {

// One core's part of a GEMM: instances [inst0, inst1), rows [m0, m1) and columns [n0, n1), all of K.
struct GemmShare {
  std::int64_t inst0 = 0, inst1 = 0, m0 = 0, m1 = 0, n0 = 0, n1 = 0;
  bool empty() const { return inst1 <= inst0 || m1 <= m0 || n1 <= n0; }
  GemmProblem problem(const GemmProblem& whole) const;
};

enum class SplitAxis { instances, m, n, mn };

struct GemmSplit {
  SplitAxis axis = SplitAxis::m;
  int used = 1;                       // cores with work (shares[0 .. used)); the compiler rotates them
  int m_parts = 1, n_parts = 1;       // M x N grids: used = m_parts x n_parts
  std::vector<GemmShare> shares;      // one per core (empty when the core has no work)
  std::vector<GemmMapping> mappings;  // one per core (unused for empty shares)
  std::uint64_t estimate = 0;         // cycles, the slowest core
};

// The split with the lowest estimated makespan, or nullopt when some share cannot fit one tile.
std::optional<GemmSplit> choose_gemm_split(const ArchSpec& arch, const GemmProblem& whole);

}  // namespace catsim
