#include "apps/search/search_command.h"

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>

#include "api/flag_params.h"
#include "api/search_evaluator.h"
#include "apps/lib/flag_check.h"
#include "apps/lib/parse_error.h"
#include "arch/config/error.h"
#include "search/driver/search_driver.h"
#ifdef CATSIM_WITH_MPI
#include "apps/search/mpi_search.h"
#endif

namespace catsim {

int search_main(int argc, char** argv) {
  CLI::App app{"catsim search: carbon-aware co-design search over a space file", "catsim search"};
  std::string space_file, out, metric;
  bool resume = false, quiet = false, use_mpi = false;
  int workers = -1;
  app.add_option("space", space_file, "space.yaml")->required();
  app.add_option("--out", out, "output folder: archive.sqlite, all.csv, pareto.csv, pareto.json")->required();
  app.add_option("--metric", metric, "carbon|latency|energy|all|all-hw (replaces the space file's metric)");
  app.add_flag("--resume", resume, "continue the search in --out without re-evaluating finished points");
  bool export_only = false;
  app.add_flag("--export", export_only,
               "write all.csv, pareto.csv and pareto.json of the archive in --out (an interrupted search's) and "
               "evaluate nothing");
  app.add_option("--workers", workers, std::string(flag_param("search.--workers").note))
      ->check(declared(flag_param("search.--workers")));
  app.add_flag("--quiet", quiet, "no progress on stderr");
  app.add_flag("--mpi", use_mpi, "under mpirun: rank 0 optimizes and archives, the other ranks evaluate");
  const char* usage = "catsim search SPACE.yaml --out DIR [--metric M] [--resume|--export] [--workers N] [--quiet] [--mpi]";
  if (const std::optional<int> code = parse_command_line(app, argc, argv, usage)) return *code;
  SearchSpace space = load_space(space_file, metric);
  if (workers >= 0) space.workers = workers;
  const PointEvaluator evaluator = [](const SearchSpace& sp, const std::vector<Override>& ov) {
    return evaluate_search_point(sp, ov);
  };
  if (export_only && (resume || use_mpi))
    throw ConfigError({"command line", 0, 0}, "--export", "evaluates nothing: it takes no --resume or --mpi");
  SearchOptions options{out, resume, !quiet};
  options.export_only = export_only;
  SearchSummary s;
  if (use_mpi) {
#ifdef CATSIM_WITH_MPI
    const auto summary = run_mpi_search(space, options, evaluator);
    if (!summary) return 0;  // an evaluating rank: rank 0 reports
    s = *summary;
#else
    throw ConfigError({"command line", 0, 0}, "--mpi",
                      "this catsim was built without MPI (configure with -DCATSIM_WITH_MPI=ON or the mpi preset; "
                      "scripts/setup installs Open MPI and Boost.MPI)");
#endif
  } else {
    s = run_search(space, options, evaluator);
  }
  std::printf("search %s (%s, %s): %lld points, %lld feasible, %lld on the Pareto front; results in %s\n",
              space.name.c_str(), to_string(space.metric).c_str(), space.optimizer.name.c_str(),
              static_cast<long long>(s.points), static_cast<long long>(s.feasible), static_cast<long long>(s.front),
              out.c_str());
  if (s.stopped_by == 0) return 0;
  std::fflush(stdout);
  std::fprintf(stderr,
               "catsim search: stopped by %s: %lld points archived, their all.csv, pareto.csv and pareto.json written "
               "in %s; continue with: catsim search %s --out %s --resume\n",
               s.stopped_by == SIGINT ? "SIGINT" : "SIGTERM", static_cast<long long>(s.points), out.c_str(),
               space_file.c_str(), out.c_str());
  return 128 + s.stopped_by;
}

}  // namespace catsim
