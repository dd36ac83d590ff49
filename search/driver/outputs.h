#pragma once
// The files of a search's --out folder besides the archive: all.csv (every point), pareto.csv (the
// non-dominated feasible points) and pareto.json (the front, the objectives and the hypervolume per
// generation). Each file is written whole or not at all.

#include <string>
#include <vector>

#include "search/archive.h"
#include "search/space.h"

namespace catsim {

struct SearchSummary {
  std::int64_t points = 0, feasible = 0, front = 0;
  std::vector<double> hypervolume_per_generation;
  int stopped_by = 0;  // SIGINT or SIGTERM when the search was asked to stop before its end, else 0
};

// Columns of pareto.csv (and the first columns of all.csv after the parameters).
std::vector<std::string> result_columns();

SearchSummary write_search_outputs(const std::string& dir, const SearchSpace& space, const Archive& archive);

// One CSV row of a point: parameter values then result_columns().
std::string csv_row(const ArchivedPoint& p, bool with_extras);

// Column names of the space's parameters, hardware then model.
std::vector<std::string> parameter_columns(const SearchSpace& space);

}  // namespace catsim
