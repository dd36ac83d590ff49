#include <random>
#include <set>

#include "search/driver/optimizers/optimizer.h"

namespace catsim {
namespace {

// Every point, in order, in batches.
class GridOptimizer : public Optimizer {
 public:
  void run(SearchRun& run) override {
    const auto total = static_cast<std::uint64_t>(run.space().total_points());
    std::vector<Genes> batch;
    for (std::uint64_t i = 0; i < total && !run.exhausted(); ++i) {
      batch.push_back(genes_at(run.space(), i));
      if (batch.size() == kBatchPoints || i + 1 == total) {
        run.evaluate(batch);
        run.end_generation();
        batch.clear();
      }
    }
  }
};

// Uniform samples without repetition from a seeded generator (std::mt19937_64, whose sequence the C++
// standard fixes, so a seed gives the same points everywhere).
class RandomOptimizer : public Optimizer {
 public:
  explicit RandomOptimizer(std::uint64_t seed) : m_rng(seed) {}
  void run(SearchRun& run) override {
    const auto total = static_cast<std::uint64_t>(run.space().total_points());
    std::set<std::uint64_t> seen;
    while (!run.exhausted() && seen.size() < total) {
      std::vector<Genes> batch;
      while (batch.size() < kBatchPoints && seen.size() < total &&
             static_cast<std::int64_t>(seen.size()) < run.budget()) {
        const std::uint64_t i = m_rng() % total;
        if (seen.insert(i).second) batch.push_back(genes_at(run.space(), i));
      }
      run.evaluate(batch);
      run.end_generation();
    }
  }

 private:
  std::mt19937_64 m_rng;
};

}  // namespace

std::unique_ptr<Optimizer> make_grid_optimizer() { return std::make_unique<GridOptimizer>(); }
std::unique_ptr<Optimizer> make_random_optimizer(std::uint64_t seed) { return std::make_unique<RandomOptimizer>(seed); }

}  // namespace catsim
