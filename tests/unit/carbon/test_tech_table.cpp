// Tech table: 45 nm figures and derivation rules, node scaling of every per-event entry, SRAM and DRAM
// lookups, overrides and the errors for unknown nodes, DRAM types and entries.
#include <gtest/gtest.h>

#include <cmath>

#include "arch/config/error.h"
#include "carbon/tech/tech_table.h"
#include "carbon_test_util.h"

namespace catsim {
namespace {

TechTable at(int node, SramCell cell = SramCell::hp, std::map<std::string, double> o = {}) {
  return TechTable(TechData::shared(), node, cell, std::move(o));
}

TEST(TechTable, MacEnergyAt45nmIsMultiplyPlusAccumulate) {
  TechTable t = at(45);
  EXPECT_DOUBLE_EQ(t.get("mac_int8_pj"), 0.2 + 0.1);            // int8 mult + int32 add = 0.3 pJ
  EXPECT_DOUBLE_EQ(t.get("mac_int4_pj"), 0.25 * 0.2 + 0.05);    // (4/8)^2 x int8 mult + int16 add = 0.1 pJ
  EXPECT_DOUBLE_EQ(t.get("mac_fp16_pj"), 1.1 + 0.9);            // fp16 mult + fp32 add = 2.0 pJ
  EXPECT_DOUBLE_EQ(t.get("mac_bf16_pj"), 0.5289 * 1.1 + 0.9);   // (8/11)^2 x fp16 mult + fp32 add = 1.4818 pJ
  EXPECT_DOUBLE_EQ(t.get("mac_fp32_pj"), 3.7 + 0.9);            // 4.6 pJ
  EXPECT_DOUBLE_EQ(t.get("mac_int8_um2"), 282 + 137);           // 419 um2
  EXPECT_DOUBLE_EQ(t.get("vector_exp_pj"), 4 * 1.1 + 4 * 0.4);  // 6.0 pJ
  EXPECT_DOUBLE_EQ(t.get("vector_gelu_pj"), 16 * 1.1 + 10 * 0.4);  // 21.6 pJ
  EXPECT_DOUBLE_EQ(t.get("vector_lane_um2"), 1640 + 1360 + 4184);  // 7184 um2
  EXPECT_DOUBLE_EQ(t.get("dma_transfer_pj"), 0.0);
}

TEST(TechTable, MacEnergyAtOtherNodesFollowsTheEnergyFactor) {
  EXPECT_NEAR(at(22).get("mac_int8_pj"), 0.3 * 0.275812, 1e-6);  // 0.08274 pJ
  EXPECT_NEAR(at(16).get("mac_int8_pj"), 0.3 * 0.1735, 1e-12);   // 0.05205 pJ
  EXPECT_NEAR(at(7).get("mac_int8_pj"), 0.3 * 0.0943, 1e-12);    // 0.02829 pJ
}

TEST(TechTable, EveryPerEventEnergyAndAreaDecreasesWithNode) {
  const auto& nodes = TechData::shared()->scaling().supported_nodes();
  for (const auto& [name, e] : TechData::shared()->entries()) {
    bool per_event = name.ends_with("_pj") || name.ends_with("_um2");
    if (!per_event || name == "dma_transfer_pj") continue;
    for (std::size_t i = 1; i < nodes.size(); ++i)
      EXPECT_LT(at(nodes[i]).get(name), at(nodes[i - 1]).get(name)) << name << " at " << nodes[i] << " nm";
  }
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    SramCost big = at(nodes[i - 1]).sram(1 << 20, 64), small = at(nodes[i]).sram(1 << 20, 64);
    EXPECT_LT(small.read_pj_per_byte, big.read_pj_per_byte) << nodes[i];
    EXPECT_LT(small.write_pj_per_byte, big.write_pj_per_byte) << nodes[i];
    EXPECT_LT(small.area_mm2, big.area_mm2) << nodes[i];
  }
}

TEST(TechTable, SramAtSweepPointsAndBetween) {
  TechTable t = at(45);
  SramCost one_mib = t.sram(1 << 20, 64);                      // a sweep point, 512-bit port
  EXPECT_NEAR(one_mib.read_pj_per_byte, 311.132 / 64, 1e-9);   // 4.8614 pJ/B
  EXPECT_NEAR(one_mib.write_pj_per_byte, 352.773 / 64, 1e-9);  // 5.5121 pJ/B
  EXPECT_NEAR(one_mib.area_mm2, 3.95164, 1e-9);
  EXPECT_NEAR(one_mib.leak_w, 0.90608, 1e-9);
  // 2 MiB is halfway between 1 and 4 MiB in log2: (311.132 + 693.499)/2 = 502.3155 pJ per access
  SramCost two_mib = t.sram(2 << 20, 64);
  EXPECT_NEAR(two_mib.read_pj_per_byte, 502.3155 / 64, 1e-9);
  // area per MiB halfway: (3.95164 + 15.6695/4)/2 = (3.95164 + 3.917375)/2 = 3.9345075 mm2/MiB, x 2 MiB
  EXPECT_NEAR(two_mib.area_mm2, 7.869015, 1e-9);
  // below the sweep: 8 KiB access energy, 8 KiB density (0.0491456 mm2 per 8 KiB -> 4 KiB: 0.0245728)
  SramCost four_kib = t.sram(4096, 64);
  EXPECT_NEAR(four_kib.read_pj_per_byte, 23.4133 / 64, 1e-9);
  EXPECT_NEAR(four_kib.area_mm2, 0.0245728, 1e-9);
}

TEST(TechTable, SramWidthCellAndInterpolatedNode) {
  // 8-byte port: 311.132 x (64/512)^0.39 / 8 bytes = 311.132 x 0.44436 / 8 = 17.2822 pJ/B
  EXPECT_NEAR(at(45).sram(1 << 20, 8).read_pj_per_byte, 311.132 * std::pow(0.125, 0.39) / 8, 1e-9);
  // lstp: x1.2085 energy, x1.1776 area, x0.00359 leakage (22 nm: 96.4296 pJ, 0.94637 mm2, 133.697 mW)
  SramCost lstp = at(22, SramCell::lstp).sram(1 << 20, 64);
  EXPECT_NEAR(lstp.read_pj_per_byte, 96.4296 * 1.2085 / 64, 1e-9);
  EXPECT_NEAR(lstp.area_mm2, 0.94637 * 1.1776, 1e-9);
  EXPECT_NEAR(lstp.leak_w, 0.133697 * 0.00359, 1e-12);
  // 28 nm between the 32 and 22 nm sweeps, log-log: w = ln(28/32)/ln(22/32) = 0.35638
  double w = std::log(28.0 / 32) / std::log(22.0 / 32);
  double expect = std::exp(std::log(177.127) + w * (std::log(96.4296) - std::log(177.127)));  // 143.05 pJ
  EXPECT_NEAR(at(28).sram(1 << 20, 64).read_pj_per_byte, expect / 64, 1e-9);
}

TEST(TechTable, DramEnergyByType) {
  TechTable t = at(22);
  EXPECT_DOUBLE_EQ(t.dram_pj_per_bit("ddr3"), 70);
  EXPECT_NEAR(t.dram_pj_per_bit("ddr4"), 70 * 0.64, 1e-12);    // 44.8, voltage stand-in
  EXPECT_NEAR(t.dram_pj_per_bit("ddr5"), 70 * 0.5378, 1e-12);  // 37.65
  EXPECT_DOUBLE_EQ(t.dram_pj_per_bit("lpddr4"), 8);
  EXPECT_NEAR(t.dram_pj_per_bit("lpddr5"), 8 * 0.9112, 1e-12);  // 7.29
  EXPECT_DOUBLE_EQ(t.dram_pj_per_bit("hbm2"), 3.9);
  EXPECT_DOUBLE_EQ(t.dram_pj_per_bit("hbm2e"), 3.9);
  EXPECT_DOUBLE_EQ(t.dram_pj_per_bit("hbm3"), 4.05);
  EXPECT_DOUBLE_EQ(at(7).dram_pj_per_bit("hbm3"), 4.05);  // not scaled with the logic node
}

TEST(TechTable, OverridesReplaceEntriesAndFlowIntoDerivedOnes) {
  TechTable t =
      at(45, SramCell::hp, {{"mac_int8_pj", 0.05}, {"fp16_mult_pj", 2.0}, {"sram_read_pj_per_byte", 0.5}});
  EXPECT_DOUBLE_EQ(t.get("mac_int8_pj"), 0.05);
  EXPECT_DOUBLE_EQ(t.get("mac_fp16_pj"), 2.0 + 0.9);            // overridden mult + table add
  EXPECT_DOUBLE_EQ(t.get("vector_exp_pj"), 4 * 2.0 + 4 * 0.4);  // 9.6 pJ
  EXPECT_DOUBLE_EQ(t.sram(1 << 20, 64).read_pj_per_byte, 0.5);
  EXPECT_THROW(at(45, SramCell::hp, {{"no_such_entry", 1}}), std::invalid_argument);
}

TEST(TechTable, ArchOverridesAreParsedAndUnknownOnesListTheKnown) {
  ArchSpec a = test::small_arch(22);
  a.technology.overrides = test::yaml("{mac_int8_pj: 0.05}");
  EXPECT_DOUBLE_EQ(TechTable::for_arch(a).get("mac_int8_pj"), 0.05);

  a.technology.overrides = test::yaml("{mac_int8_pJ: 0.05}");
  try {
    TechTable::for_arch(a);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    std::string msg = e.what();
    EXPECT_EQ(e.key(), "technology.overrides.mac_int8_pJ");
    EXPECT_NE(msg.find("arch.yaml:1:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("did you mean 'mac_int8_pj'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("dram_hbm3_pj_per_bit"), std::string::npos) << msg;
    EXPECT_NE(msg.find("sram_read_pj_per_byte"), std::string::npos) << msg;
  }
  a.technology.overrides = test::yaml("{mac_int8_pj: -1}");
  EXPECT_THROW(TechTable::for_arch(a), ConfigError);
}

TEST(TechTable, UnknownNodeOrDramTypeListsTheKnownOnes) {
  ArchSpec a = test::small_arch(12);
  try {
    TechTable::for_arch(a);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "technology.node_nm");
    EXPECT_NE(std::string(e.what()).find("45|32|28|22|20|16|14|10|7|5|3"), std::string::npos) << e.what();
  }
  a = test::small_arch(22);
  a.dram.type = "gddr6";
  try {
    TechTable::for_arch(a);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "dram.type");
    EXPECT_NE(std::string(e.what()).find("ddr3|ddr4|ddr5|hbm2|hbm2e|hbm3|lpddr4|lpddr5"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace catsim
