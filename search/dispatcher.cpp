#include "search/dispatcher.h"

namespace catsim {

std::string evaluate_to_payload(const PointEvaluator& evaluator, const SearchSpace& space,
                                const std::vector<Override>& overrides) {
  return to_json(evaluator(space, overrides)).dump();
}

LocalDispatcher::LocalDispatcher(const SearchSpace& space, PointEvaluator evaluator)
    : m_space(space), m_evaluator(std::move(evaluator)), m_pool(space.workers, space.timeout_s) {}

void LocalDispatcher::run(const std::vector<std::vector<Override>>& points, const OnDone& on_done) {
  std::vector<EvalPool::Job> jobs;
  for (const auto& ov : points)
    jobs.push_back([this, ov] { return evaluate_to_payload(m_evaluator, m_space, ov); });
  m_pool.run(jobs, on_done);
}

}  // namespace catsim
