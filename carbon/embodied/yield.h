#pragma once
// Die yield: a fixed fraction, or a defect-density model of die area A (cm2) and defect density D
// (defects/cm2): Poisson e^-AD, Murphy ((1 - e^-AD)/AD)^2, negative binomial (1 + AD/alpha)^-alpha.

namespace catsim {

enum class YieldModel { fixed, poisson, murphy, negative_binomial };

struct YieldSpec {
  YieldModel model = YieldModel::fixed;
  double fixed_yield = 0.875;         // model == fixed (ACT's default)
  double defect_density_per_cm2 = 0;  // the other models
  double clustering_alpha = 3;        // negative binomial only
};

double poisson_yield(double area_cm2, double defects_per_cm2);
double murphy_yield(double area_cm2, double defects_per_cm2);
double negative_binomial_yield(double area_cm2, double defects_per_cm2, double alpha);

// Yield of a die of `area_mm2` under `spec`.
double die_yield(const YieldSpec& spec, double area_mm2);

}  // namespace catsim
