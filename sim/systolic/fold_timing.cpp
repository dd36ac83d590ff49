#include "sim/systolic/fold_timing.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace catsim {
namespace {

constexpr double kMaxRateFactor = 1 << 20;  // beyond this a "rate" is a typo, not an array

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

// Nearest integer to x if x is within a relative 1e-9 of it (1/0.2 is not exactly 5 in binary).
bool near_integer(double x, double& rounded) {
  rounded = std::round(x);
  return std::abs(x - rounded) <= 1e-9 * std::max(1.0, std::abs(x));
}

void check_shapes(ArrayShape array, GemmShape gemm) {
  if (array.rows < 1 || array.cols < 1)
    throw std::invalid_argument("systolic array needs at least 1x1 PEs, got " + std::to_string(array.rows) +
                                "x" + std::to_string(array.cols));
  if (gemm.m < 1 || gemm.n < 1 || gemm.k < 1)
    throw std::invalid_argument("GEMM dimensions must be >= 1, got M=" + std::to_string(gemm.m) +
                                " N=" + std::to_string(gemm.n) + " K=" + std::to_string(gemm.k));
}

}  // namespace

bool valid_mac_rate(double p) {
  if (!std::isfinite(p) || p <= 0 || p > kMaxRateFactor) return false;
  double rounded = 0;
  if (p >= 1) return near_integer(p, rounded);
  return near_integer(1 / p, rounded) && rounded >= 2 && rounded <= kMaxRateFactor;
}

MacRate mac_rate_factors(double p) {
  if (!valid_mac_rate(p))
    throw std::invalid_argument(
        "MACs per PE per cycle must be an integer >= 1 or 1/s for an integer s >= 2, got " +
        std::to_string(p));
  double rounded = 0;
  if (p >= 1) {
    near_integer(p, rounded);
    return {static_cast<std::int64_t>(rounded), 1};
  }
  near_integer(1 / p, rounded);
  return {1, static_cast<std::int64_t>(rounded)};
}

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
