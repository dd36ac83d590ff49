#include "search/driver/search_driver.h"

#include <oneapi/tbb/global_control.h>

#include <unistd.h>

#include <filesystem>

#include "arch/config/error.h"
#include "arch/io/atomic_file.h"
#include "search/driver/optimizers/optimizer.h"
#include "search/stop_request.h"

namespace catsim {
namespace {

std::string prepare_out(const SearchOptions& o) {
  namespace fs = std::filesystem;
  const fs::path dir(o.out_dir);
  const fs::path archive = dir / "archive.sqlite";
  std::error_code ec;
  if (o.resume || o.export_only) {
    if (!fs::is_regular_file(archive, ec))
      throw ConfigError({o.resume ? "--resume" : "--export", 0, 0}, o.out_dir,
                        std::string("no archive.sqlite to ") + (o.resume ? "resume from" : "export"));
  } else {
    if (fs::exists(archive, ec))
      throw ConfigError({"--out", 0, 0}, o.out_dir,
                        "already holds a search (archive.sqlite): use --resume to continue it, or another folder");
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) throw WriteError(o.out_dir + ": cannot create the output folder");
  }
  if (::access(dir.c_str(), W_OK) != 0) throw WriteError(o.out_dir + ": the output folder is not writable");
  return archive.string();
}

}  // namespace

SearchSummary run_search(const SearchSpace& space, const SearchOptions& options, const PointEvaluator& evaluator) {
  LocalDispatcher local(space, evaluator);
  return run_search(space, options, local);
}

SearchSummary run_search(const SearchSpace& space, const SearchOptions& options, PointDispatcher& dispatcher) {
  // pagmo runs its loops on TBB, whose worker threads would make every fork of an evaluation worker the fork
  // of a multi-threaded process: a child inherits any lock another thread held at that instant (workers
  // hung so under ASan when NSGA-II resumed). With one thread TBB runs the loops in this thread and starts
  // no workers, so the pool forks from a single-threaded process.
  const oneapi::tbb::global_control one_thread(oneapi::tbb::global_control::max_allowed_parallelism, 1);
  const StopOnSignal stop;  // before the archive exists: a stop from then on writes the outputs
  Archive archive(prepare_out(options), space.digest, [&] {
    std::vector<std::string> c;
    for (const auto& p : space.hardware) c.push_back(p.path);
    for (const auto& p : space.model) c.push_back(p.path);
    return c;
  }());
  Progress progress(options.progress && !options.export_only, ::isatty(STDERR_FILENO) != 0);
  if (!options.export_only) {
    SearchRun run(space, dispatcher, archive, progress);
    make_optimizer(space)->run(run);
  }
  SearchSummary s = write_search_outputs(options.out_dir, space, archive);
  s.stopped_by = stop_signal();
  ProgressState st;
  st.done = s.points;
  st.total = s.points;
  st.feasible = s.feasible;
  st.front = s.front;
  st.hypervolume = s.hypervolume_per_generation.empty() ? 0 : s.hypervolume_per_generation.back();
  progress.finish(st);
  return s;
}

}  // namespace catsim
