#pragma once
// Operational carbon: energy drawn from the grid, E[kWh] x CI_grid x PUE, and how many inferences a
// deployment serves over its lifetime.

#include <optional>

namespace catsim {

inline constexpr double kJoulesPerKwh = 3.6e6;
inline constexpr double kSecondsPerYear = 365.25 * 24 * 3600;

// Grams CO2e for `energy_j` of accelerator energy at a data centre of power usage effectiveness `pue`.
double operational_g(double energy_j, double grid_ci_g_per_kwh, double pue);

struct Deployment {
  double lifetime_years = 3;
  std::optional<double> inferences;                    // count over the lifetime
  std::optional<double> inferences_per_second;         // or a rate ...
  double utilization = 1.0;                            // ... and the fraction of the lifetime spent serving
  static constexpr double kDefaultInferences = 3.0e7;  // CATransformers' convention (3 years, 3e7)

  // The count if given, else rate x utilization x lifetime, else kDefaultInferences.
  double lifetime_inferences() const;
};

}  // namespace catsim
