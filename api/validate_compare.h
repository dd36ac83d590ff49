#pragma once
// Per-op comparison of an estimate (a closed-form estimator, or the user's own numbers) with the cycle-level
// run: signed errors in latency and energy, their summary (MAPE, max |error|, error of the totals) and the
// likely reason for each large error, read off what the engine measured for that op.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/evaluation.h"

namespace catsim {

// One op's estimate: cycles, and its energy when the estimate has one (joules, dynamic).
struct OpEstimateRow {
  std::uint64_t cycles = 0;
  std::optional<double> energy_j;
};

struct OpComparison {
  std::string name, kind;
  std::uint64_t cycles = 0, estimate_cycles = 0;
  std::optional<double> error;  // (estimate - cycles) / cycles; none when the run took 0 cycles
  double energy_j = 0;          // the run's dynamic energy of the op
  std::optional<double> estimate_energy_j, energy_error;
  std::string reason;           // why the estimate differs (empty when it is exact)
};

struct Comparison {
  std::string estimator;  // roofline, sequential, or "user" for --against
  std::vector<OpComparison> ops;
  double mape = 0;            // mean |error| over ops with a non-zero cycle count (fraction)
  double energy_mape = 0;     // the same for energy, over ops with an energy estimate and non-zero energy
  double max_abs_error = 0;   // largest |error| (fraction)
  std::string max_error_op;
  std::uint64_t cycles = 0, estimate_cycles = 0;  // the run's makespan; the estimate's total
  double total_error = 0;                         // (estimate total - makespan) / makespan
  std::optional<double> energy_j, estimate_energy_j, total_energy_error;  // whole run, joules
  std::vector<std::string> unknown_ops, missing_ops;  // --against: names not in the model, ops not in the file
};

// `run` is the cycle-level evaluation; `estimates` one row per op of run.sim (missing rows: nullopt).
// `estimate_energy_j` is the estimate's whole-run energy, if it has one.
Comparison compare(const ArchSpec& arch, const Evaluation& run, const std::string& estimator,
                   const std::vector<std::optional<OpEstimateRow>>& estimates, std::optional<double> estimate_energy_j);

// The comparison of a closed-form estimate with the run.
Comparison compare(const ArchSpec& arch, const Evaluation& run, const Evaluation& estimate);

nlohmann::json to_json(const Comparison& c);
std::string comparison_text(const Comparison& c, std::size_t largest);

}  // namespace catsim
