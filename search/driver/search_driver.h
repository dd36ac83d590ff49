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
  bool export_only = false;  // write the outputs of the archive in out_dir (as resume finds it), evaluate nothing
};

// Throws ConfigError for an unusable --out (exists without --resume, missing with it or with export_only) and
// WriteError when a file cannot be written. SIGINT or SIGTERM stop it early (the first one: the second ends the
// process): the points still running are dropped, the outputs of what is archived are written, and
// SearchSummary::stopped_by names the signal.
SearchSummary run_search(const SearchSpace& space, const SearchOptions& options, const PointEvaluator& evaluator);
// The same with the points evaluated by `dispatcher` (e.g. MPI ranks).
SearchSummary run_search(const SearchSpace& space, const SearchOptions& options, PointDispatcher& dispatcher);

}  // namespace catsim
