#pragma once
// One whole search: the --out folder and its archive (fresh, or resumed), the optimizer driving the
// evaluation pool, and the output files at the end.

#include <string>

#include "search/driver/outputs.h"
#include "search/driver/search_run.h"

namespace catsim {

struct SearchOptions {
  std::string out_dir;
  bool resume = false;
  bool progress = true;  // progress line / log lines on stderr
};

// Throws ConfigError for an unusable --out (exists without --resume, missing with it) and WriteError when a
// file cannot be written.
SearchSummary run_search(const SearchSpace& space, const SearchOptions& options, const PointEvaluator& evaluator);
// The same with the points evaluated by `dispatcher` (e.g. MPI ranks).
SearchSummary run_search(const SearchSpace& space, const SearchOptions& options, PointDispatcher& dispatcher);

}  // namespace catsim
