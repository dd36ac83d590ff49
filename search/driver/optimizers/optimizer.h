#pragma once
// The optimizers: each proposes batches of points to a SearchRun (which evaluates, deduplicates and
// archives them) until the run's budget is spent. Every decision depends only on the seed and on the
// results, never on timing, so a seed always gives the same archive.

#include <memory>

#include "search/driver/search_run.h"

namespace catsim {

// One search strategy: proposes batches to the SearchRun until its budget is spent; all state it keeps
// derives from the seed and the results, which makes --resume a deterministic replay.
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual void run(SearchRun& run) = 0;
};

// grid | random | nsga2 | bilevel, per the space's optimizer settings.
std::unique_ptr<Optimizer> make_optimizer(const SearchSpace& space);
std::unique_ptr<Optimizer> make_grid_optimizer();
std::unique_ptr<Optimizer> make_random_optimizer(std::uint64_t seed);
std::unique_ptr<Optimizer> make_nsga2_optimizer(int population, std::uint64_t seed);
std::unique_ptr<Optimizer> make_bilevel_optimizer(const OptimizerSettings& o, std::uint64_t seed);

// Points per batch of the grid and random optimizers (one "generation" each).
inline constexpr std::size_t kBatchPoints = 64;

}  // namespace catsim
