#pragma once
// Closed-form cycle count of one GEMM on one systolic array: how the GEMM folds onto the array and
// how long the folds take. The fast (SystemC) path uses it; sim/pe/ steps every PE to prove it exact.

#include <cstdint>

#include "arch/dataflow.h"

namespace catsim {

struct ArrayShape {
  int rows;  // R, PE rows
  int cols;  // C, PE columns
};

struct GemmShape {
  std::int64_t m, n, k;  // (M x K) * (K x N) = (M x N)
};

struct FoldPlan {
  std::int64_t spatial_rows, spatial_cols;  // Sr, Sc mapped onto R, C (after packing)
  std::int64_t stream;                      // T, streamed length in cycles (after stretching/packing)
  std::int64_t row_folds, col_folds, folds; // ceil(Sr/R), ceil(Sc/C), product
  std::int64_t per_fold_cycles;             // scalesim convention cost of one fold
};

// Timing conventions (T below is FoldPlan::stream, F the fold count; see DESIGN.md "Timing model").
//
// Mapping (SCALE-Sim v2): OS: Sr=M, Sc=N, T=K;  WS: Sr=K, Sc=N, T=M;  IS: Sr=K, Sc=M, T=N.
// A rate p = macs_per_pe_per_cycle > 1 packs p consecutive K elements into one PE per cycle:
// OS streams T = ceil(K/p); WS/IS map Sr = ceil(K/p). A rate p = 1/s < 1 makes every streamed element
// take s cycles: T_eff = s*T. Loading a stationary operand is data movement and is not stretched.
//
// Both conventions count cycles from the first cycle of the GEMM up to and including the cycle in which
// the last fold's wavefront completes its last MAC in PE(R-1, C-1). The wavefront always crosses the
// whole array: a partial fold (fewer than R rows or C columns used) costs as much as a full one.
// Draining the last fold's outputs out of the array is not counted.
//
// scalesim: every fold loads, fills and drains alone.
//   OS per fold: R + C + T - 2;  WS/IS per fold: 2R + C + T - 2 (R cycles to load the stationary operand).
//   array_cycles = F * per_fold.  SCALE-Sim v2 reports one less (the 0-based index of the last cycle):
//   the caller subtracts 1 when it prints a SCALE-Sim compatible number; array_cycles() does NOT.
//
// pipelined (default, TPU style): double-buffered PEs overlap one fold's fill/drain with the next.
//   WS/IS: R + (F-1)*max(T, R) + (T + R + C - 2).
//     Fold i+1's stationary operand shifts into shadow registers (R cycles) from the cycle fold i starts
//     streaming; fold i+1 streams max(T, R) after fold i (row ports busy T cycles, shadow load R).
//   OS: T + R + C - 2                                     if F = 1,
//       T + (F-2)*max(T, R) + (T + R + C - 2)             if F >= 2.
//     The first element of fold i+1 swaps each PE's finished accumulator into a shadow register,
//     and each column shifts its shadows out in R cycles while fold i+1 computes. A swap needs an empty
//     shadow, so fold i+1 can start max(T, R) after fold i -- except fold 1: the shadows start empty,
//     so it follows fold 0 after T cycles. (The PE model in sim/pe/ showed this; the intended
//     (F-1)*max(T, R) form over-counts by max(T, R) - T when F >= 2.)
FoldPlan plan_folds(Dataflow dataflow, ArrayShape array, GemmShape gemm, double macs_per_pe_per_cycle);

std::uint64_t array_cycles(Dataflow dataflow, ArrayTiming timing, ArrayShape array, GemmShape gemm,
                           double macs_per_pe_per_cycle);

// True if p is an integer >= 1 or 1/s for an integer s >= 2 (the only rates an array can have).
bool valid_mac_rate(double macs_per_pe_per_cycle);

// The integer factors behind a valid rate: p = pack / stretch with one of them equal to 1.
struct MacRate {
  std::int64_t pack;     // K elements per PE per cycle (>= 1)
  std::int64_t stretch;  // cycles per streamed element (>= 1)
};
MacRate mac_rate_factors(double macs_per_pe_per_cycle);  // throws std::invalid_argument if not valid

}  // namespace catsim
