#pragma once
// Where a batch of points is evaluated: forked workers on this machine, or (with CATSIM_WITH_MPI) other
// MPI ranks that fork per point. The search sees only results, reported in completion order with the
// point's index in the batch; it puts them back in proposal order itself.

#include <functional>
#include <vector>

#include "arch/config/overrides.h"
#include "search/eval_pool.h"
#include "search/point_result.h"
#include "search/space.h"

namespace catsim {

// Evaluates one point in a worker child: the space and the point's overrides (fixed keys, then the point's
// values) in, the staged result out (feasibility, screen, simulation). Throwing ConfigError marks it invalid.
using PointEvaluator = std::function<PointResult(const SearchSpace&, const std::vector<Override>&)>;

// The interface between a search and the machines that evaluate its points; results are reported as
// they arrive and the search restores proposal order, so the dispatcher never affects the archive.
class PointDispatcher {
 public:
  using OnDone = std::function<void(std::size_t, const ChildOutcome&)>;
  virtual ~PointDispatcher() = default;
  // Evaluates every point (its overrides) and calls `on_done` once per point; returns when all are done.
  virtual void run(const std::vector<std::vector<Override>>& points, const OnDone& on_done) = 0;
};

// The worker pool of this machine: `space.workers` forked children, `space.timeout_s` each.
class LocalDispatcher : public PointDispatcher {
 public:
  LocalDispatcher(const SearchSpace& space, PointEvaluator evaluator);
  void run(const std::vector<std::vector<Override>>& points, const OnDone& on_done) override;

 private:
  const SearchSpace& m_space;
  PointEvaluator m_evaluator;
  EvalPool m_pool;
};

// What a worker child sends back for one point: the evaluator's result as JSON.
std::string evaluate_to_payload(const PointEvaluator& evaluator, const SearchSpace& space,
                                const std::vector<Override>& overrides);

}  // namespace catsim
