// The `carbon:` block: defaults, CATransformers' one-line deployment, region lookups with years, yield
// choices, and errors that name the known choices.
#include <gtest/gtest.h>

#include "arch/config/error.h"
#include "carbon/carbon_config.h"
#include "carbon_test_util.h"

namespace catsim {
namespace {

CarbonConfig parse(const std::string& text) {
  return parse_carbon_config(test::yaml(text), "arch.yaml", *CarbonData::shared());
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CarbonConfig, DefaultsWhenTheBlockIsAbsent) {
  CarbonConfig c = parse_carbon_config(YAML::Node(), "arch.yaml", *CarbonData::shared());
  EXPECT_EQ(c.embodied.fab_region, "taiwan@2023");
  EXPECT_DOUBLE_EQ(c.embodied.fab_ci_g_per_kwh, 642);
  EXPECT_EQ(c.embodied.gas_abatement_pct, 97);
  EXPECT_EQ(c.embodied.yield.model, YieldModel::fixed);
  EXPECT_DOUBLE_EQ(c.embodied.yield.fixed_yield, 0.875);
  EXPECT_DOUBLE_EQ(c.embodied.packaging_g_per_ic, 150);
  EXPECT_FALSE(c.embodied.memory_g_per_gb.has_value());
  EXPECT_EQ(c.operational.grid_region, "world@2019");
  EXPECT_DOUBLE_EQ(c.operational.grid_ci_g_per_kwh, 475);
  EXPECT_DOUBLE_EQ(c.operational.pue, 1.0);
  EXPECT_DOUBLE_EQ(c.deployment.lifetime_years, 3);
  EXPECT_DOUBLE_EQ(c.deployment.lifetime_inferences(), 3.0e7);
}

TEST(CarbonConfig, CATransformersDeploymentInOneLine) {
  CarbonConfig c = parse("{deployment: {lifetime_years: 3, inferences: 3.0e7}}");
  EXPECT_DOUBLE_EQ(c.deployment.lifetime_years, 3);
  EXPECT_DOUBLE_EQ(c.deployment.lifetime_inferences(), 30000000);
}

TEST(CarbonConfig, RateAndUtilization) {
  CarbonConfig c = parse("{deployment: {lifetime_years: 3, inferences_per_second: 10, utilization: 0.5}}");
  // 10/s x 0.5 x 3 years x 31,557,600 s/year = 473,364,000
  EXPECT_DOUBLE_EQ(c.deployment.lifetime_inferences(), 473364000);
  EXPECT_NE(error_of("{deployment: {inferences: 1, inferences_per_second: 10}}").find("not both"),
            std::string::npos);
  EXPECT_NE(error_of("{deployment: {utilization: 0.5}}").find("only applies with inferences_per_second"),
            std::string::npos);
}

TEST(CarbonConfig, RegionLookups) {
  EXPECT_DOUBLE_EQ(parse("{embodied: {fab_region: taiwan@2022}}").embodied.fab_ci_g_per_kwh, 583);
  EXPECT_DOUBLE_EQ(parse("{embodied: {fab_region: Korea}}").embodied.fab_ci_g_per_kwh, 402);  // newest: 2023
  EXPECT_DOUBLE_EQ(parse("{embodied: {fab_ci_g_per_kwh: 100}}").embodied.fab_ci_g_per_kwh, 100);
  EXPECT_EQ(parse("{embodied: {fab_ci_g_per_kwh: 100}}").embodied.fab_region, "custom");
  CarbonConfig gcp = parse("{operational: {grid_region: us-central1, pue: 1.1}}");
  EXPECT_EQ(gcp.operational.grid_region, "us-central1@2024");
  EXPECT_DOUBLE_EQ(gcp.operational.grid_ci_g_per_kwh, 430);
  EXPECT_DOUBLE_EQ(gcp.operational.pue, 1.1);
  EXPECT_DOUBLE_EQ(parse("{operational: {grid_region: FRA}}").operational.grid_ci_g_per_kwh, 56.0);
  EXPECT_DOUBLE_EQ(parse("{operational: {grid_region: isl}}").operational.grid_ci_g_per_kwh,
                   27.7);  // 2022 table
  EXPECT_DOUBLE_EQ(parse("{operational: {grid_region: europe-north1}}").operational.grid_ci_g_per_kwh, 46);
}

TEST(CarbonConfig, UnknownRegionsListTheKnownOnes) {
  std::string fab = error_of("{embodied: {fab_region: taiwn}}");
  EXPECT_NE(fab.find("arch.yaml:1:"), std::string::npos) << fab;
  EXPECT_NE(fab.find("carbon.embodied.fab_region"), std::string::npos) << fab;
  EXPECT_NE(fab.find("did you mean 'taiwan'"), std::string::npos) << fab;
  EXPECT_NE(fab.find("taiwan (2023, 2022)"), std::string::npos) << fab;
  std::string grid = error_of("{operational: {grid_region: us-central9}}");
  EXPECT_NE(grid.find("us-central1 (2024)"), std::string::npos) << grid;
  EXPECT_NE(grid.find("usa (2023)"), std::string::npos) << grid;
  EXPECT_NE(error_of("{embodied: {fab_region: taiwan@2019}}").find("unknown region 'taiwan@2019'"),
            std::string::npos);
  EXPECT_NE(error_of("{embodied: {fab_region: taiwan, fab_ci_g_per_kwh: 3}}").find("not both"),
            std::string::npos);
}

TEST(CarbonConfig, YieldChoices) {
  EXPECT_DOUBLE_EQ(parse("{embodied: {yield: 0.9}}").embodied.yield.fixed_yield, 0.9);
  YieldSpec nb = parse("{embodied: {defect_density_per_cm2: 0.1}}").embodied.yield;
  EXPECT_EQ(nb.model, YieldModel::negative_binomial);
  EXPECT_DOUBLE_EQ(nb.clustering_alpha, 3);
  EXPECT_EQ(parse("{embodied: {defect_density_per_cm2: 0.1, yield_model: murphy}}").embodied.yield.model,
            YieldModel::murphy);
  EXPECT_NE(error_of("{embodied: {yield: 1.5}}").find("out of range, got 1.5 (expected 1e-06..1"), std::string::npos);
  EXPECT_NE(error_of("{embodied: {yield: 0.9, defect_density_per_cm2: 0.1}}").find("not both"),
            std::string::npos);
  EXPECT_NE(error_of("{embodied: {yield_model: poisson}}").find("only applies with"), std::string::npos);
  EXPECT_NE(error_of("{embodied: {defect_density_per_cm2: 0.1, yield_model: poisson, clustering_alpha: 2}}")
                .find("only applies to yield_model: negative_binomial"),
            std::string::npos);
  EXPECT_NE(error_of("{embodied: {defect_density_per_cm2: 0.1, yield_model: bose}}")
                .find("poisson|murphy|negative_binomial"),
            std::string::npos);
}

TEST(CarbonConfig, OtherErrors) {
  EXPECT_NE(error_of("{embodied: {gas_abatement_pct: 96}}").find("expected one of 95|97|99"),
            std::string::npos);
  EXPECT_NE(error_of("{deployment: {lifetime_yaers: 3}}").find("did you mean 'lifetime_years'"),
            std::string::npos);
  EXPECT_NE(error_of("{operational: {pue: 0.9}}").find("out of range, got 0.9 (expected 1..10"), std::string::npos);
  EXPECT_NE(error_of("{embodyed: {}}").find("did you mean 'embodied'"), std::string::npos);
  EXPECT_NE(error_of("{grid_region: us-central1}").find("belongs under carbon.operational"),
            std::string::npos);
  EXPECT_NE(error_of("[1, 2]").find("expected a mapping"), std::string::npos);
}

}  // namespace
}  // namespace catsim
