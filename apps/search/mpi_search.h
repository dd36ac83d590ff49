#pragma once
// `catsim search … --mpi` under mpirun: rank 0 runs the optimizer and the archive and hands points to the
// other ranks; each of those evaluates one point at a time in a forked child (SystemC elaborates once per
// process) and sends the result back. Built only with CATSIM_WITH_MPI (Open MPI + Boost.MPI).

#include <functional>

#include "search/driver/search_driver.h"

namespace catsim {

// Runs the search on every rank. Rank 0 returns the summary (and calls `report` with it); the other ranks
// return nullopt after rank 0 tells them to stop. Throws ConfigError when fewer than 2 ranks run.
std::optional<SearchSummary> run_mpi_search(const SearchSpace& space, const SearchOptions& options,
                                            const PointEvaluator& evaluator);

}  // namespace catsim
