#pragma once
// What one evaluated point leaves behind: how far it got (status and stage, with the reason it stopped)
// and its metrics. Travels from the worker child to the parent as JSON and lands as one archive row.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sim/run/fork_runner.h"

namespace catsim {

// ok: simulated (feasible or not under the constraints); rejected: stopped by a cheap stage (feasibility,
// screen, accuracy floor) before simulation; invalid: the point's configuration is bad input; failed: the
// evaluation crashed, hung or hit an internal error.
struct PointResult {
  std::string status = "failed";
  std::string stage;   // config | feasibility | screen | accuracy | simulation | constraints | "" (feasible)
  std::string reason;  // why it stopped or is infeasible; "" when feasible
  bool feasible = false;
  std::optional<double> accuracy;
  std::string accuracy_source = "none";  // table | command | proxy | none
  // Metrics: absent when the point did not get that far.
  std::optional<double> latency_s, energy_j, area_mm2, tops, power_w, carbon_total_g, carbon_operational_g,
      carbon_embodied_g, array_utilization;
  std::string bound;  // compute | memory | vector: what bounds most of the run's op cycles
  double wall_s = 0;

  bool simulated() const { return status == "ok"; }
};

nlohmann::json to_json(const PointResult& r);
// Reads what to_json wrote (a worker's result, an archive's row); std::invalid_argument names the first field
// of the wrong type, outside its set of values, or (a number) not finite or negative.
PointResult point_result_from_json(const nlohmann::json& j);

// What a worker that evaluated one point reported: its result, or a `failed` point (bad input: `invalid`)
// at stage `simulation` with the reason (the child's error, or why its result could not be read).
PointResult point_result_of_worker(const ChildOutcome& o);

}  // namespace catsim
