#pragma once
// The hypervolume a search's Pareto front dominates, scaled to [0, 1] by its reference box: the
// convergence figure of a search, computed with pagmo2's exact algorithms (so only the search links pagmo).

#include <vector>

#include "search/pareto.h"

namespace catsim {

// Hypervolume dominated by the feasible front of `results` up to `ref`, with objectives scaled by the
// reference box (each axis divided by ref - ideal of the reference set) so the value lies in [0, 1].
double hypervolume(MetricMode m, const std::vector<PointResult>& results, const std::vector<double>& ref,
                   const std::vector<double>& ideal);

}  // namespace catsim
