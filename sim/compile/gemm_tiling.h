#pragma once
// Chooses how one GEMM is cut into SRAM-sized tiles: tile sizes aligned to the array's folds (the
// streamed dimension kept whole when it fits) and the loop order that moves the fewest DRAM bytes.

#include <cstdint>
#include <optional>

#include "arch/arch_spec.h"

namespace catsim {

struct GemmProblem {
  std::int64_t m = 0, n = 0, k = 0;  // one instance: (m x k) * (k x n)
  Precision a = Precision::int8, b = Precision::int8, out = Precision::int8;
  int acc_bits = 32;                  // partial sums kept between K chunks
  double rate = 1.0;                  // MACs per PE per cycle at the compute precision
};

struct GemmTiling {
  std::int64_t mt = 0, nt = 0, kt = 0;  // tile sizes
  std::int64_t tm = 0, tn = 0, tk = 0;  // tile counts per dimension
  bool n_inner = true;             // loops m { n { k } } (A reused across n) or n { m { k } } (B reused)
  std::uint64_t dram_bytes = 0;    // estimated traffic of one instance
  std::uint64_t footprint = 0;     // scratchpad bytes used, double-buffered
};

// Smallest footprint any tiling of this problem needs (one fold in each dimension), bytes.
std::uint64_t min_gemm_footprint(const ArchSpec& arch, const GemmProblem& p);

// The best tiling that fits the scratchpad, or nullopt when even one fold does not fit.
std::optional<GemmTiling> choose_gemm_tiling(const ArchSpec& arch, const GemmProblem& p);

}  // namespace catsim
