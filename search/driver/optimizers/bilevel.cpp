#include <algorithm>
#include <numeric>
#include <random>
#include <set>

#include "search/driver/optimizers/optimizer.h"

namespace catsim {
namespace {

// Accuracy depends on the shape only, hardware cost is cheap: the outer loop walks the shapes (all, or in a
// seeded random order), computes each shape's accuracy once and skips shapes below min_accuracy without
// running any hardware; the inner loop searches the hardware for that shape (all of it, or
// `inner_points` seeded random samples).
class BilevelOptimizer : public Optimizer {
 public:
  BilevelOptimizer(const OptimizerSettings& o, std::uint64_t seed) : m_settings(o), m_rng(seed) {}

  void run(SearchRun& run) override {
    const SearchSpace& s = run.space();
    std::vector<std::size_t> shapes(s.shapes.size());
    std::iota(shapes.begin(), shapes.end(), 0);
    if (m_settings.outer == "random") shuffle(shapes);
    for (const std::size_t shape : shapes) {
      if (run.exhausted()) break;
      const auto acc = run.accuracy(shape);
      if (acc && s.constraints.min_accuracy && acc->value < *s.constraints.min_accuracy) continue;
      inner(run, shape);
    }
  }

 private:
  void inner(SearchRun& run, std::size_t shape) {
    const auto hw = static_cast<std::uint64_t>(run.space().hardware_points());
    std::vector<std::uint64_t> order(hw);
    std::iota(order.begin(), order.end(), 0);
    if (m_settings.inner == "random") shuffle(order);
    if (m_settings.inner_points > 0 && order.size() > static_cast<std::uint64_t>(m_settings.inner_points))
      order.resize(static_cast<std::size_t>(m_settings.inner_points));
    std::vector<Genes> batch;
    for (std::size_t i = 0; i < order.size() && !run.exhausted(); ++i) {
      batch.push_back(genes_at(run.space(), shape * hw + order[i]));
      if (batch.size() == kBatchPoints || i + 1 == order.size()) {
        run.evaluate(batch);
        run.end_generation();
        batch.clear();
      }
    }
  }

  // Fisher-Yates with the portable mt19937_64 (std::shuffle's algorithm is not fixed by the standard).
  template <typename T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[m_rng() % i]);
  }

  OptimizerSettings m_settings;
  std::mt19937_64 m_rng;
};

}  // namespace

std::unique_ptr<Optimizer> make_bilevel_optimizer(const OptimizerSettings& o, std::uint64_t seed) {
  return std::make_unique<BilevelOptimizer>(o, seed);
}

std::unique_ptr<Optimizer> make_optimizer(const SearchSpace& space) {
  const auto& o = space.optimizer;
  if (o.name == "random") return make_random_optimizer(space.seed);
  if (o.name == "nsga2") return make_nsga2_optimizer(o.population, space.seed);
  if (o.name == "bilevel") return make_bilevel_optimizer(o, space.seed);
  return make_grid_optimizer();
}

}  // namespace catsim
