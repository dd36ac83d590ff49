#pragma once
// The evaluation side of a search, shared by every optimizer: takes a batch of proposed points, answers
// repeats from the archive (deduplication; --resume replays the optimizer against it), evaluates the new
// ones on the worker pool, applies the accuracy and constraints, commits each row as it completes, and
// stops at the budget. Results come back in proposal order, so a seed gives one archive whatever the
// order in which workers finish.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "search/accuracy_source.h"
#include "search/archive.h"
#include "search/dispatcher.h"
#include "search/point_result.h"
#include "search/progress.h"
#include "search/space.h"

namespace catsim {

// The optimizers' view of the evaluation: evaluate(batch) in, results in proposal order out; it owns the
// deduplication, the budget, the accuracy of each shape and the archive's rows.
class SearchRun {
 public:
  SearchRun(const SearchSpace& space, PointDispatcher& dispatcher, Archive& archive, Progress& progress);

  // One result per proposal; nullopt for proposals past the budget (points or wall time).
  std::vector<std::optional<PointResult>> evaluate(const std::vector<Genes>& batch);
  void end_generation();  // records the generation boundary (for hypervolume per generation)

  bool exhausted() const;  // the budget is spent
  std::int64_t proposed() const { return m_next_id; }
  std::int64_t budget() const;
  const SearchSpace& space() const { return m_space; }
  // Accuracy of a shape (nullopt without a source); computed once, cached in the archive.
  std::optional<ShapeAccuracy> accuracy(std::size_t shape);

  std::vector<std::string> values_of(const Genes& g) const;
  std::vector<Override> overrides_of(const Genes& g) const;

 private:
  void finalize(PointResult& r, std::size_t shape);
  void report_progress(bool force);

  const SearchSpace& m_space;
  PointDispatcher& m_dispatcher;
  Archive& m_archive;
  Progress& m_progress;
  AccuracySource m_accuracy;
  std::map<std::string, ArchivedPoint> m_done;  // by values key
  std::set<std::string> m_proposed;            // keys proposed by this process
  std::int64_t m_next_id = 0;
  int m_generation = 0;
  std::chrono::steady_clock::time_point m_start;
  std::int64_t m_evaluated_now = 0;  // evaluated by this process (not from the archive)
};

}  // namespace catsim
