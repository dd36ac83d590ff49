#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/bfe.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>

#include <cmath>

#include "search/driver/optimizers/optimizer.h"
#include "search/pareto.h"

namespace catsim {
namespace {

// Fitness of a point NSGA-II cannot use (infeasible, failed, past the budget): beyond every feasible
// value in every objective, growing with the violation, so feasible points always rank first and among
// infeasible ones the less infeasible first (Deb's constraint-domination, as a penalty: pagmo's
// NSGA-II takes no constraints).
constexpr double kPenalty = 1e15;

double violation(const SearchSpace& s, const PointResult& r) {
  if (!r.simulated()) return 1e3;  // rejected, invalid or failed: no metrics to compare
  double v = 0;
  auto excess = [&](std::optional<double> value, std::optional<double> bound) {
    if (value && bound && *value > *bound) v += (*value - *bound) / *bound;
  };
  excess(r.latency_s, s.constraints.max_latency_s);
  excess(r.power_w, s.constraints.max_power_w);
  excess(r.area_mm2, s.constraints.max_area_mm2);
  excess(r.tops, s.constraints.max_tops);
  if (r.accuracy && s.constraints.min_accuracy && *r.accuracy < *s.constraints.min_accuracy)
    v += (*s.constraints.min_accuracy - *r.accuracy) / std::max(*s.constraints.min_accuracy, 1e-12);
  return v;
}

// The search space as a pagmo problem: one integer gene per hardware parameter and one for the shape.
// fitness() is never called on its own: every evaluation goes through SearchBfe in batches.
struct SearchProblem {
  const SearchRun* run = nullptr;
  pagmo::vector_double fitness(const pagmo::vector_double&) const {
    throw std::logic_error("SearchProblem is evaluated through its batch evaluator only");
  }
  std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
    pagmo::vector_double lo, hi;
    for (const auto& p : run->space().hardware) {
      lo.push_back(0);
      hi.push_back(static_cast<double>(p.values.size() - 1));
    }
    lo.push_back(0);
    hi.push_back(static_cast<double>(run->space().shapes.size() - 1));
    return {lo, hi};
  }
  pagmo::vector_double::size_type get_nobj() const { return objective_names(run->space().metric).size(); }
  pagmo::vector_double::size_type get_nix() const { return run->space().hardware.size() + 1; }
};

// Evaluates one generation on the SearchRun's worker pool.
struct SearchBfe {
  SearchRun* run = nullptr;
  pagmo::vector_double operator()(const pagmo::problem& p, const pagmo::vector_double& dvs) const {
    const std::size_t dim = p.get_nx(), nobj = p.get_nobj();
    std::vector<Genes> batch;
    for (std::size_t i = 0; i < dvs.size() / dim; ++i) {
      Genes g(dim);
      for (std::size_t k = 0; k < dim; ++k) g[k] = static_cast<std::int64_t>(std::llround(dvs[i * dim + k]));
      batch.push_back(std::move(g));
    }
    const auto results = run->evaluate(batch);
    run->end_generation();
    pagmo::vector_double f;
    for (const auto& r : results) {
      if (r && r->feasible) {
        for (const double o : objectives(run->space().metric, *r)) f.push_back(o);
      } else {
        const double v = r ? violation(run->space(), *r) : 1e6;
        for (std::size_t k = 0; k < nobj; ++k) f.push_back(kPenalty * (1 + v));
      }
    }
    return f;
  }
};

// pagmo2's NSGA-II (crossover 0.95, eta_c 10, mutation 1/genes, eta_m 50), one generation per evolve()
// call so the budget is checked between generations; each generation is one batch on the worker pool.
class Nsga2Optimizer : public Optimizer {
 public:
  Nsga2Optimizer(int population, std::uint64_t seed) : m_population(population), m_seed(seed) {}
  void run(SearchRun& run) override {
    pagmo::problem prob{SearchProblem{&run}};
    const pagmo::bfe bfe{SearchBfe{&run}};
    const auto seed = static_cast<unsigned>(m_seed & 0xffffffffu);
    pagmo::population pop{prob, bfe, static_cast<pagmo::population::size_type>(m_population), seed};
    const double dim = static_cast<double>(prob.get_nx());
    pagmo::algorithm algo{pagmo::nsga2(1u, 0.95, 10., 1.0 / dim, 50., seed + 1)};
    algo.extract<pagmo::nsga2>()->set_bfe(bfe);
    std::int64_t stalled = 0;
    while (!run.exhausted() && stalled < 50) {  // 50 generations without a new point: converged
      const std::int64_t before = run.proposed();
      pop = algo.evolve(pop);
      stalled = run.proposed() == before ? stalled + 1 : 0;
    }
  }

 private:
  int m_population;
  std::uint64_t m_seed;
};

}  // namespace

std::unique_ptr<Optimizer> make_nsga2_optimizer(int population, std::uint64_t seed) {
  return std::make_unique<Nsga2Optimizer>(population, seed);
}

}  // namespace catsim
