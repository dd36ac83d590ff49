#include "carbon/operational/operational.h"

namespace catsim {

double operational_g(double energy_j, double grid_ci_g_per_kwh, double pue) {
  return energy_j / kJoulesPerKwh * grid_ci_g_per_kwh * pue;
}

double Deployment::lifetime_inferences() const {
  if (inferences) return *inferences;
  if (inferences_per_second) return *inferences_per_second * utilization * lifetime_years * kSecondsPerYear;
  return kDefaultInferences;
}

}  // namespace catsim
