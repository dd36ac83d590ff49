#pragma once
// Closed-form cycle count of one GEMM on one systolic array: how the GEMM folds onto the array and
// how long the folds take. The fast (SystemC) path uses it; sim/pe/ steps every PE to prove it exact.

#include <cstdint>

#include "arch/dataflow.h"
#include "arch/mac_rate.h"

namespace catsim {

struct ArrayShape {
  int rows;  // R, PE rows
  int cols;  // C, PE columns
};

struct GemmShape {
  std::int64_t m, n, k;  // (M x K) * (K x N) = (M x N)
};

struct FoldPlan {
  std::int64_t spatial_rows, spatial_cols;   // Sr, Sc mapped onto R, C (after packing)
  std::int64_t stream;                       // T, streamed length in cycles (after stretching/packing)
  std::int64_t row_folds, col_folds, folds;  // ceil(Sr/R), ceil(Sc/C), product
  std::int64_t per_fold_cycles;              // scalesim convention cost of one fold
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
//     Fold i+1's stationary operand shifts down each column into shadow registers (bottom row's value
//     first, column c skewed by c) from the cycle fold i starts streaming; fold i+1 streams once the
//     shadows are full (R cycles) and the row ports are free (T cycles): max(T, R) after fold i.
//   OS: T + R + C - 2                               if F = 1,
//       T + (F-2)*max(T, R) + (T + R + C - 2)       if F >= 2.
//     Fold i+1's first element swaps each PE's finished sum into its shadow register (skewed like the
//     data: PE(r,c) at S(i+1)+r+c). From the cycle after PE(R-1,c) swapped, column c shifts its shadows
//     down and out, one per cycle, so row r's shadow is free again at S(i+1)+R+r+c: fold i+2's swap
//     reaches it in time iff S(i+2) >= S(i+1) + R, hence period max(T, R). Fold 1 waits only for the
//     row ports (T cycles): the shadows start empty. The PE model forced this form; the planned
//     (F-1)*max(T, R) + (T+R+C-2) over-counts by max(T, R) - T whenever F >= 2.
FoldPlan plan_folds(Dataflow dataflow, ArrayShape array, GemmShape gemm, double macs_per_pe_per_cycle);

std::uint64_t array_cycles(Dataflow dataflow, ArrayTiming timing, ArrayShape array, GemmShape gemm,
                           double macs_per_pe_per_cycle);

}  // namespace catsim
