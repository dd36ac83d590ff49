#pragma once
// Splits one GEMM over some or all cores to minimize its makespan: over instances (heads, batch), M, N, a
// grid of M x N, or K (each core's partial sums then reduced by the vector units), at fold granularity
// where the dimension is spatial; each share gets its own mapping. A memory-bound op may run faster on
// fewer cores (no duplicated operand reads); the idle ones run other ops.

#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "sim/compile/gemm_mapping.h"

namespace catsim {

// One core's part of a GEMM: instances [inst0, inst1), rows [m0, m1), columns [n0, n1), reduction [k0, k1).
struct GemmShare {
  std::int64_t inst0 = 0, inst1 = 0, m0 = 0, m1 = 0, n0 = 0, n1 = 0, k0 = 0, k1 = 0;
  bool empty() const { return inst1 <= inst0 || m1 <= m0 || n1 <= n0 || k1 <= k0; }
  GemmProblem problem(const GemmProblem& whole) const;
};

enum class SplitAxis { instances, m, n, mn, k };

// A K split's shares write partial sums (accumulator width) that the reduction reads back: to the global
// buffer when all `parts` of them fit a quarter of it (and DRAM is not ideal), else to DRAM.
bool partials_on_chip(const ArchSpec& arch, const GemmProblem& whole, int parts);
// The problem one K share maps: the whole GEMM's operands, its output in accumulator width where the
// partial sums go.
GemmProblem partial_sums_problem(const ArchSpec& arch, const GemmProblem& whole, int parts);
// Estimated cycles of reducing `parts` partial sums of an m x n output, spread over `parts` cores.
std::uint64_t reduction_estimate(const ArchSpec& arch, const GemmProblem& whole, int parts);

struct GemmSplit {
  SplitAxis axis = SplitAxis::m;
  int used = 1;                       // cores with work (shares[0 .. used)); the compiler rotates them
  int m_parts = 1, n_parts = 1;       // M x N grids: used = m_parts x n_parts
  std::vector<GemmShare> shares;      // one per core (empty when the core has no work)
  std::vector<GemmMapping> mappings;  // one per core (unused for empty shares)
  std::uint64_t estimate = 0;         // cycles, the slowest core (K splits: plus the reduction)
};

// Commands a split of `p` emits at most: six per tile step of every share; 2^64 - 1 when that overflows.
std::uint64_t matmul_command_bound(const GemmProblem& p, const GemmSplit& split);

// The split with the lowest estimated makespan, or nullopt when some share cannot fit one tile.
std::optional<GemmSplit> choose_gemm_split(const ArchSpec& arch, const GemmProblem& whole);

// Every field of a matmul problem: two ops with equal keys compile to the same commands.
using GemmProblemKey = std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t, Precision, Precision,
                                  Precision, int, double, bool, bool, bool, bool, bool, double, CausalKeys,
                                  std::int64_t, std::int64_t, std::int64_t, std::int64_t>;
inline GemmProblemKey gemm_problem_key(const GemmProblem& p) {
  return {p.m, p.n, p.k, p.instances, p.a, p.b, p.out, p.acc_bits, p.rate, p.a_on_chip, p.b_on_chip, p.c_on_chip,
          p.psum_on_chip, p.staged, p.global_bytes_per_cycle, p.causal.keys, p.causal.queries, p.causal.offset,
          p.causal.row0, p.causal.key0};
}

// A split with every share mapped, and its byte cost (GemmTraffic's weights, a K split's reduction included).
struct SplitOption {
  GemmSplit split;
  std::uint64_t cost = 0;
  int variant = 0;  // the rank of the shares' mappings (0: the estimate's choice)
  int offered = 0;  // the most mappings any of its shares was offered (fewer than asked: its whole space)
};

// Every split that fits, each with its shares' estimate-chosen mappings, then with their 2nd, 3rd, ... up to
// `variants`-th ranked mapping (ranked_gemm_mappings; a share with fewer keeps its last): the candidates the
// op timer runs through the engine.
// `whole_space` is set when no share has more than `variants` mappings: the options are then every split
// with every mapping of its shares (equal shares mapped alike).
std::vector<SplitOption> gemm_split_options(const ArchSpec& arch, const GemmProblem& whole, int variants,
                                            bool* whole_space = nullptr);

// The estimate's choice among `options` (in gemm_split_options' order; variant 0 only): the index
// choose_gemm_split takes; with `used_only` > 0, among the splits over exactly that many cores. The overall
// choice is made among the choices of each number of cores used, so it is always one of them. nullopt when
// there is none.
std::optional<std::size_t> estimated_choice(const std::vector<SplitOption>& options, int used_only = 0);

}  // namespace catsim
