// Yield models at known points: Poisson e^-AD, Murphy ((1 - e^-AD)/AD)^2, negative binomial (1 + AD/a)^-a.
#include <gtest/gtest.h>

#include "carbon/embodied/yield.h"

namespace catsim {
namespace {

TEST(Yield, ModelsAtAdOfOneTenth) {
  // A = 1 cm2, D = 0.1 /cm2 -> AD = 0.1
  EXPECT_NEAR(poisson_yield(1.0, 0.1), 0.904837, 1e-6);               // e^-0.1
  EXPECT_NEAR(murphy_yield(1.0, 0.1), 0.905592, 1e-6);                // ((1 - 0.904837)/0.1)^2 = 0.951626^2
  EXPECT_NEAR(negative_binomial_yield(1.0, 0.1, 3), 0.906314, 1e-6);  // (1 + 0.1/3)^-3 = 1/1.103370
}

TEST(Yield, ModelsAtAdOfOne) {
  EXPECT_NEAR(poisson_yield(2.0, 0.5), 0.367879, 1e-6);                 // e^-1
  EXPECT_NEAR(murphy_yield(2.0, 0.5), 0.399576, 1e-6);                  // (1 - e^-1)^2 = 0.632121^2
  EXPECT_NEAR(negative_binomial_yield(2.0, 0.5, 2), 0.444444, 1e-6);    // 1.5^-2
  EXPECT_NEAR(negative_binomial_yield(2.0, 0.5, 1e6), 0.367879, 1e-6);  // alpha -> inf: Poisson
}

TEST(Yield, EdgeCasesAndDieYield) {
  EXPECT_DOUBLE_EQ(murphy_yield(0.0, 0.1), 1.0);  // limit AD -> 0
  EXPECT_DOUBLE_EQ(poisson_yield(0.0, 0.1), 1.0);
  YieldSpec s;
  EXPECT_DOUBLE_EQ(die_yield(s, 500), 0.875);  // fixed: area does not matter
  s.model = YieldModel::poisson;
  s.defect_density_per_cm2 = 0.1;
  EXPECT_NEAR(die_yield(s, 100), 0.904837, 1e-6);  // 100 mm2 = 1 cm2
  s.model = YieldModel::negative_binomial;
  s.clustering_alpha = 3;
  EXPECT_NEAR(die_yield(s, 100), 0.906314, 1e-6);
}

}  // namespace
}  // namespace catsim
