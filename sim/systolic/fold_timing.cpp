#include "sim/systolic/fold_timing.h"
#include "arch/int_math.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace catsim {
namespace {



void check_shapes(ArrayShape array, GemmShape gemm) {
  if (array.rows < 1 || array.cols < 1)
    throw std::invalid_argument("systolic array needs at least 1x1 PEs, got " + std::to_string(array.rows) +
                                "x" + std::to_string(array.cols));
  if (gemm.m < 1 || gemm.n < 1 || gemm.k < 1)
    throw std::invalid_argument("GEMM dimensions must be >= 1, got M=" + std::to_string(gemm.m) +
                                " N=" + std::to_string(gemm.n) + " K=" + std::to_string(gemm.k));
}

}  // namespace

FoldPlan plan_folds(Dataflow dataflow, ArrayShape array, GemmShape gemm, double macs_per_pe_per_cycle) {
  check_shapes(array, gemm);
  const MacRate rate = mac_rate_factors(macs_per_pe_per_cycle);
  const std::int64_t packed_k = ceil_div(gemm.k, rate.pack);
  FoldPlan plan{};
  switch (dataflow) {
    case Dataflow::os:
      plan.spatial_rows = gemm.m, plan.spatial_cols = gemm.n, plan.stream = packed_k;
      break;
    case Dataflow::ws:
      plan.spatial_rows = packed_k, plan.spatial_cols = gemm.n, plan.stream = gemm.m;
      break;
    case Dataflow::is:
      plan.spatial_rows = packed_k, plan.spatial_cols = gemm.m, plan.stream = gemm.n;
      break;
  }
  plan.stream *= rate.stretch;
  plan.row_folds = ceil_div(plan.spatial_rows, array.rows);
  plan.col_folds = ceil_div(plan.spatial_cols, array.cols);
  plan.folds = plan.row_folds * plan.col_folds;
  const std::int64_t load = dataflow == Dataflow::os ? 0 : array.rows;
  plan.per_fold_cycles = load + array.rows + array.cols + plan.stream - 2;
  return plan;
}

std::uint64_t array_cycles(Dataflow dataflow, ArrayTiming timing, ArrayShape array, GemmShape gemm,
                           double macs_per_pe_per_cycle) {
  const FoldPlan plan = plan_folds(dataflow, array, gemm, macs_per_pe_per_cycle);
  const std::int64_t r = array.rows, c = array.cols, t = plan.stream, f = plan.folds;
  if (timing == ArrayTiming::scalesim) return static_cast<std::uint64_t>(f * plan.per_fold_cycles);
  const std::int64_t last_fold = t + r + c - 2;  // stream + fill + skew of the final fold
  const std::int64_t period = std::max(t, r);
  if (dataflow != Dataflow::os) return static_cast<std::uint64_t>(r + (f - 1) * period + last_fold);
  if (f == 1) return static_cast<std::uint64_t>(last_fold);
  return static_cast<std::uint64_t>(t + (f - 2) * period + last_fold);
}

}  // namespace catsim
