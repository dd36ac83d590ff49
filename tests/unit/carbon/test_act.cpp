// ACT embodied carbon: the 22 nm worked example, abatement levels, nodes outside ACT's table, memory.
#include <gtest/gtest.h>

#include "carbon/carbon_data.h"

namespace catsim {
namespace {

const ActTables& act() {
  return CarbonData::shared()->act;
}

TEST(Act, TwentyTwoNanometreWorkedExample) {
  // (642 x 1.077 + 188.28 + 500) / 0.875 = (691.434 + 188.28 + 500) / 0.875 = 1379.714 / 0.875 = 1576.816
  // g/cm2
  EXPECT_NEAR(act_carbon_per_cm2(act(), 22, 642, 95, 0.875), 1576.816, 1e-3);
  // 31.99 mm2 = 0.3199 cm2 x 1576.816 = 504.42 g
  EXPECT_NEAR(embodied_die_g(act(), 31.99, 22, 642, 95, 0.875), 504.4, 0.1);
  EXPECT_NEAR(embodied_die_g(act(), 31.99, 22, 642, 95, 0.875), 0.3199 * 1379.714 / 0.875, 1e-9);
}

TEST(Act, AbatementLevels) {
  EXPECT_DOUBLE_EQ(act().gpa_g_per_cm2(22, 95), 188.28);
  EXPECT_DOUBLE_EQ(act().gpa_g_per_cm2(22, 99), 110);
  EXPECT_DOUBLE_EQ(act().gpa_g_per_cm2(22, 97), (188.28 + 110) / 2);  // 149.14, ACT's default
  EXPECT_DOUBLE_EQ(act().gpa_g_per_cm2(7, 97), (350 + 200) / 2.0);    // 275
  EXPECT_THROW(act().gpa_g_per_cm2(7, 96), std::out_of_range);
  EXPECT_EQ(act().abatement_list(), "95|97|99");
}

TEST(Act, NodesOutsideTheTable) {
  // 16 nm: linear in log(node) between 20 and 14 nm, w = ln(16/14)/ln(20/14) = 0.37437 from the 14 nm side:
  // GPA95 = 200 + 0.37437 x (190 - 200) = 196.256
  EXPECT_NEAR(act().gpa_g_per_cm2(16, 95), 196.256, 1e-3);
  EXPECT_NEAR(act().gpa_g_per_cm2(16, 99), 119.384, 1e-3);  // 125 + 0.37437 x (110 - 125)
  EXPECT_DOUBLE_EQ(act().epa_kwh_per_cm2(16), 1.2);
  // 45 and 32 nm take the 28 nm row
  EXPECT_DOUBLE_EQ(act().epa_kwh_per_cm2(45), 0.90);
  EXPECT_DOUBLE_EQ(act().gpa_g_per_cm2(32, 95), 175);
  EXPECT_DOUBLE_EQ(act().mpa_g_per_cm2(), 500);
  // every supported node resolves
  for (int node : {45, 32, 28, 22, 20, 16, 14, 10, 7, 5, 3})
    EXPECT_GT(act_carbon_per_cm2(act(), node, 500, 97, 0.875), 0);
}

TEST(Act, MemoryAndDefaults) {
  EXPECT_DOUBLE_EQ(act().memory_g_per_gb("ddr4"), 65);
  EXPECT_DOUBLE_EQ(act().memory_g_per_gb("lpddr4"), 48);
  EXPECT_DOUBLE_EQ(act().memory_g_per_gb("hbm3"), 65);  // stand-in: DDR4 10 nm per GB
  // 16 GiB = 17.179869184 GB x 65 g/GB / 0.875 = 1276.22 g
  EXPECT_NEAR(embodied_memory_g(17.179869184, 65, 0.875), 1276.22, 0.01);
  EXPECT_EQ(act().defaults().gas_abatement_pct, 97);
  EXPECT_DOUBLE_EQ(act().defaults().yield, 0.875);
  EXPECT_DOUBLE_EQ(act().defaults().packaging_g_per_ic, 150);
  EXPECT_EQ(act().defaults().fab_region, "taiwan");
}

}  // namespace
}  // namespace catsim
