#pragma once
// The mode's objectives (all minimized: accuracy enters negated), the Pareto front of the feasible
// points, and the reference and ideal points a front's hypervolume is measured against.

#include <cstddef>
#include <string>
#include <vector>

#include "search/point_result.h"
#include "search/space.h"

namespace catsim {

// Names of the objectives of a mode, e.g. {"-accuracy", "carbon_total_g"}.
std::vector<std::string> objective_names(MetricMode m);

// The objective vector of a simulated point (minimized).
std::vector<double> objectives(MetricMode m, const PointResult& r);

// Indices of the non-dominated points among the feasible ones of `results`, in input order.
std::vector<std::size_t> pareto_front(MetricMode m, const std::vector<PointResult>& results);

// Reference point: the nadir of the Pareto front plus 10 % of the front's range (plus 1e-9 relative), so
// every front point contributes. Empty when there is no feasible point.
std::vector<double> hypervolume_reference(MetricMode m, const std::vector<PointResult>& results);

std::vector<double> ideal_point(MetricMode m, const std::vector<PointResult>& results);

}  // namespace catsim
