#include "carbon/embodied/yield.h"

#include <cmath>

namespace catsim {

double poisson_yield(double area_cm2, double defects_per_cm2) {
  return std::exp(-area_cm2 * defects_per_cm2);
}

double murphy_yield(double area_cm2, double defects_per_cm2) {
  double ad = area_cm2 * defects_per_cm2;
  if (ad < 1e-12) return 1.0;  // limit AD -> 0
  double f = -std::expm1(-ad) / ad;
  return f * f;
}

double negative_binomial_yield(double area_cm2, double defects_per_cm2, double alpha) {
  return std::pow(1.0 + area_cm2 * defects_per_cm2 / alpha, -alpha);
}

double die_yield(const YieldSpec& spec, double area_mm2) {
  double a = area_mm2 / 100.0;
  double d = spec.defect_density_per_cm2;
  switch (spec.model) {
    case YieldModel::fixed:
      return spec.fixed_yield;
    case YieldModel::poisson:
      return poisson_yield(a, d);
    case YieldModel::murphy:
      return murphy_yield(a, d);
    case YieldModel::negative_binomial:
      return negative_binomial_yield(a, d, spec.clustering_alpha);
  }
  return spec.fixed_yield;
}

}  // namespace catsim
