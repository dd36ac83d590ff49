#include "apps/lib/evaluation.h"

namespace catsim {

Evaluation evaluate_design(const ArchSpec& arch, const ModelSpec& model) {
  Evaluation e{run_simulation(arch, model), {}};
  e.energy = evaluate(arch, e.sim.counts, static_cast<double>(model.workload.batch));
  return e;
}

}  // namespace catsim
