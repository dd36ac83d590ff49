// Area model: PE area for precision sets (family max, families add), the parts of a small design, the
// arch.yaml area override, SRAM banking and the DRAM interface.
#include <gtest/gtest.h>

#include "carbon/area/area_model.h"
#include "carbon_test_util.h"

namespace catsim {
namespace {

TechTable tech_at(int node, std::map<std::string, double> o = {}) {
  return TechTable(TechData::shared(), node, SramCell::hp, std::move(o));
}

TEST(Area, PeAreaTakesTheLargestMemberOfEachFamilyAndAddsFamilies) {
  TechTable t = tech_at(45, {{"reg_bit_um2", 5}});
  SystolicSpec s;
  s.macs_per_pe_per_cycle = {{Precision::int8, 1}};
  EXPECT_DOUBLE_EQ(pe_area_um2(s, t), 419 + 48 * 5);  // MAC 282+137, registers 8+8+32 bits: 659 um2
  s.macs_per_pe_per_cycle[Precision::int4] = 2;       // 2 x (70.5 + 67) = 275 < 419; regs (4+4+16) x 2 = 48
  EXPECT_DOUBLE_EQ(pe_area_um2(s, t), 419 + 48 * 5);
  s.macs_per_pe_per_cycle[Precision::fp16] = 1;              // float family 1640 + 4184; regs 16+16+32 = 64
  EXPECT_DOUBLE_EQ(pe_area_um2(s, t), 419 + 5824 + 64 * 5);  // 6563 um2
  s.macs_per_pe_per_cycle[Precision::fp32] = 0.25;           // 11884 x 0.25 = 2971 < 5824; regs 32+32+32 = 96
  EXPECT_DOUBLE_EQ(pe_area_um2(s, t), 419 + 5824 + 96 * 5);  // 6723 um2
}

TEST(Area, SmallDesignParts) {
  ArchSpec a = test::small_arch(7);
  TechTable t = tech_at(7, {{"reg_bit_um2", 1}, {"vector_lane_um2", 1000}});
  AreaReport r = compute_area(a, t);
  // 16 PEs x (419 x 0.059 + 48 x 1) um2 = 16 x 72.721 = 1163.536 um2
  EXPECT_NEAR(r.part("array"), 16 * (419 * 0.059 + 48) * 1e-6, 1e-12);
  EXPECT_NEAR(r.part("vector"), 8 * 1000 * 1e-6, 1e-12);   // 8 lanes x 1000 um2
  EXPECT_NEAR(r.part("dram.phy"), 64 * 0.04531, 1e-12);    // 2.89984 mm2, PHYs do not scale
  EXPECT_NEAR(r.part("dram.ctrl"), 64 * 0.029350, 1e-12);  // 1.8784 mm2 at its source node
  EXPECT_NEAR(r.part("sram.scratchpad"), t.sram(64 * 1024, 64).area_mm2, 1e-12);
  double sum = r.part("array") + r.part("vector") + r.part("dram.phy") + r.part("dram.ctrl") +
               r.part("sram.scratchpad");
  EXPECT_NEAR(r.estimated_mm2, sum, 1e-12);
  EXPECT_DOUBLE_EQ(r.area_mm2, r.estimated_mm2);
  EXPECT_FALSE(r.overridden);
  EXPECT_NEAR(r.logic_mm2(), r.part("array") + r.part("vector") + r.part("dram.ctrl"), 1e-12);
}

TEST(Area, ArchAreaOverridesTheTotalButKeepsTheParts) {
  ArchSpec a = test::small_arch(22);
  a.area_mm2 = 31.99;
  AreaReport r = compute_area(a, tech_at(22));
  EXPECT_DOUBLE_EQ(r.area_mm2, 31.99);
  EXPECT_TRUE(r.overridden);
  EXPECT_GT(r.estimated_mm2, 0);
  EXPECT_NE(r.estimated_mm2, 31.99);
}

TEST(Area, SramBanksSplitsAndGlobalBuffer) {
  ArchSpec a = test::small_arch(45);
  a.cores = 2;
  a.sram.banks = 2;
  a.sram.global_kib = 1024;
  AreaReport r = compute_area(a, tech_at(45));
  EXPECT_NEAR(r.part("sram.scratchpad"), 2 * 2 * 0.115458, 1e-9);  // 2 cores x 2 banks x 32 KiB sweep point
  EXPECT_NEAR(r.part("sram.global"), 3.95164, 1e-9);               // 1 MiB sweep point
  a.sram.banks = 1;
  a.sram.ifmap_kib = 32;
  a.sram.weight_kib = 32;
  r = compute_area(a, tech_at(45));
  EXPECT_NEAR(r.part("sram.ifmap"), 2 * 0.115458, 1e-9);
  EXPECT_NEAR(r.part("sram.weight"), 2 * 0.115458, 1e-9);
  EXPECT_EQ(r.part("sram.scratchpad"), 0.0);  // 64 KiB fully split, nothing left over
}

TEST(Area, HbmInterfaceAndNodeMonotonicity) {
  ArchSpec a = test::small_arch(7);
  a.dram.type = "hbm2";
  a.dram.channels = 8;  // one 1024-bit stack
  AreaReport r = compute_area(a, tech_at(7));
  EXPECT_NEAR(r.part("dram.phy"), 1024 * 0.010205, 1e-12);    // 10.45 mm2
  EXPECT_NEAR(r.part("dram.ctrl"), 1024 * 0.0056053, 1e-12);  // 5.74 mm2
  double previous = 1e300;
  for (int node : TechData::shared()->scaling().supported_nodes()) {
    ArchSpec b = test::small_arch(node);
    double area = compute_area(b, tech_at(node)).estimated_mm2;
    EXPECT_LT(area, previous) << node << " nm";
    previous = area;
  }
}

}  // namespace
}  // namespace catsim
