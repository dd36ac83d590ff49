// Carbon totals and the report: embodied parts, operational per inference, amortisation over the
// deployment, the end-to-end evaluate() and its JSON.
#include <gtest/gtest.h>

#include "carbon/report.h"
#include "carbon_test_util.h"

namespace catsim {
namespace {

TEST(Carbon, ActExampleThroughTheCarbonModel) {
  ArchSpec a = test::small_arch(22);
  a.dram.type = "hbm2";
  a.dram.capacity_gib = 16;
  CarbonConfig c = parse_carbon_config(
      test::yaml("{embodied: {fab_ci_g_per_kwh: 642, gas_abatement_pct: 95, yield: 0.875},"
                 " operational: {grid_ci_g_per_kwh: 400, pue: 1.5},"
                 " deployment: {lifetime_years: 3, inferences: 3.0e7}}"),
      "arch.yaml", *CarbonData::shared());
  CarbonReport r = compute_carbon(c, CarbonData::shared()->act, a, 31.99, 7.2e6);
  EXPECT_NEAR(r.carbon_per_cm2_g, 1576.816, 1e-3);
  EXPECT_NEAR(r.embodied_die_g, 504.4, 0.1);                          // 0.3199 cm2 x 1576.816
  EXPECT_NEAR(r.embodied_memory_g, 17.179869184 * 65 / 0.875, 1e-9);  // 16 GiB of HBM2 stand-in: 1276.22 g
  EXPECT_DOUBLE_EQ(r.embodied_packaging_g, 150);
  EXPECT_NEAR(r.embodied_g, r.embodied_die_g + r.embodied_memory_g + 150, 1e-9);
  EXPECT_NEAR(r.operational_g, 2.0 * 400 * 1.5, 1e-9);  // 7.2e6 J = 2 kWh x 400 g/kWh x PUE 1.5 = 1200 g
  EXPECT_NEAR(r.per_inference_g, 1200 + r.embodied_g / 3e7, 1e-9);
  EXPECT_NEAR(r.lifetime_total_g, r.embodied_g + 1200 * 3e7, 1e-3);
}

TEST(Carbon, EvaluateEndToEnd) {
  ArchSpec a = test::small_arch(22);
  a.carbon = test::yaml(
      "{operational: {grid_region: us-central1}, deployment: {lifetime_years: 3, inferences: 3.0e7}}");
  EventCounts counts;
  counts.cycles = 1'000'000;
  counts.clock_mhz = 1000;
  counts.macs[Precision::int8] = 16'000'000;
  counts.sram_read_bytes[SramBufferKind::ifmap] = 4'000'000;
  counts.sram_read_bytes[SramBufferKind::weight] = 4'000'000;
  counts.sram_write_bytes[SramBufferKind::ofmap] = 1'000'000;
  counts.dram_read_bytes = 2'000'000;
  counts.vector_ops[VectorOp::exp] = 100'000;

  Report r = evaluate(a, counts, 2);  // the run held 2 inferences
  EXPECT_EQ(r.node_nm, 22);
  EXPECT_DOUBLE_EQ(r.seconds, 1e-3);
  double sum = 0;
  for (const auto& [key, j] : r.energy_breakdown_j) sum += j;
  EXPECT_NEAR(r.energy_j, sum, 1e-15);
  EXPECT_NEAR(r.power_w, r.energy_j / 1e-3, 1e-9);
  EXPECT_NEAR(r.tops_per_w, 2.0 * 16e6 / r.energy_j / 1e12, 1e-9);
  EXPECT_NEAR(r.carbon.energy_per_inference_j, r.energy_j / 2, 1e-18);
  EXPECT_NEAR(r.carbon.operational_g, r.energy_j / 2 / 3.6e6 * 430, 1e-15);
  EXPECT_NEAR(r.carbon.die_area_mm2, r.area_mm2, 1e-12);
  EXPECT_EQ(r.carbon.gas_abatement_pct, 97);

  nlohmann::json j = to_json(r);
  for (const char* key :
       {"energy_j", "energy_breakdown_j", "power_w", "tops_per_w", "area_mm2", "area_breakdown_mm2"})
    EXPECT_TRUE(j.contains(key)) << key;
  for (const char* key : {"embodied_die_g", "embodied_memory_g", "embodied_packaging_g", "embodied_g",
                          "operational_g", "per_inference_g", "lifetime_total_g"})
    EXPECT_TRUE(j["carbon"].contains(key)) << key;
  EXPECT_DOUBLE_EQ(j["energy_breakdown_j"]["array.mac.int8"].get<double>(),
                   r.energy_breakdown_j.at("array.mac.int8"));
  EXPECT_EQ(j["carbon"]["assumptions"]["grid_region"], "us-central1@2024");
}

}  // namespace
}  // namespace catsim
