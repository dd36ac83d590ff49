// Energy model: counts x table on a hand case, static energy linear in simulated time, TOPS/W, and the
// errors for a vector op the tech tables cannot price or DRAM traffic without a DRAM type.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "arch/config/error.h"
#include "arch/config/overrides.h"
#include "carbon/energy/energy_model.h"
#include "carbon_test_util.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

// 45 nm table with round overrides so every term is exact by hand.
TechTable hand_table() {
  return TechTable(TechData::shared(), 45, SramCell::hp,
                   {{"reg_bit_pj", 0.01},
                    {"sram_read_pj_per_byte", 0.5},
                    {"sram_write_pj_per_byte", 0.75},
                    {"sram_leak_w_per_mib", 0.1},
                    {"logic_leak_w_per_mm2", 0.02}});
}

EventCounts hand_counts(std::uint64_t cycles) {
  EventCounts c;
  c.cycles = cycles;
  c.clock_mhz = 1000;
  c.macs[Precision::int8] = 1000;
  c.sram_read_bytes[SramBufferKind::ifmap] = 6400;
  c.sram_write_bytes[SramBufferKind::ofmap] = 1000;
  c.dram_read_bytes = 1000;
  c.vector_ops[VectorOp::exp] = 100;
  c.dma_transfers = 3;
  return c;
}

TEST(Energy, DynamicEnergyIsCountsTimesTable) {
  ArchSpec a = test::small_arch(45);
  EnergyReport r = compute_energy(a, hand_table(), hand_counts(1000));
  const auto& b = r.breakdown_j;
  EXPECT_NEAR(b.at("array.mac.int8"), 1000 * 0.3e-12, 1e-24);  // 1000 MACs x (0.2 + 0.1) pJ = 300 pJ
  EXPECT_NEAR(b.at("array.reg.int8"), 1000 * 48 * 0.01e-12,
              1e-24);                                           // OS int8: 8 + 8 + 32 bits x 0.01 pJ = 480 pJ
  EXPECT_NEAR(b.at("sram.read.ifmap"), 6400 * 0.5e-12, 1e-24);  // 3200 pJ
  EXPECT_NEAR(b.at("sram.write.ofmap"), 1000 * 0.75e-12, 1e-24);  // 750 pJ
  EXPECT_NEAR(b.at("dram.read"), 1000 * 8 * 44.8e-12, 1e-21);     // DDR4 44.8 pJ/bit: 358,400 pJ
  EXPECT_NEAR(b.at("vector.exp"), 100 * 6.0e-12, 1e-24);          // 4 x 1.1 + 4 x 0.4 = 6.0 pJ each: 600 pJ
  EXPECT_EQ(b.count("dma"), 0u);                                  // 0 pJ per transfer: not listed
  EXPECT_EQ(b.count("dram.write"), 0u);
  // 300 + 480 + 3200 + 750 + 358,400 + 600 = 363,730 pJ
  EXPECT_NEAR(r.dynamic_j, 363730e-12, 1e-18);
  EXPECT_EQ(r.macs, 1000u);
}

TEST(Energy, WeightStationaryClocksOneOperandLess) {
  ArchSpec a = test::small_arch(45);
  a.systolic.dataflow = Dataflow::ws;
  EnergyReport r = compute_energy(a, hand_table(), hand_counts(1000));
  EXPECT_NEAR(r.breakdown_j.at("array.reg.int8"), 1000 * 40 * 0.01e-12, 1e-24);  // 8 + 32 bits
}

TEST(Energy, StaticEnergyIsLeakagePowerTimesSimulatedTime) {
  ArchSpec a = test::small_arch(45);
  TechTable t = hand_table();
  AreaReport area = compute_area(a, t);
  EnergyReport r1 = compute_energy(a, t, hand_counts(1000), area);  // 1000 cycles at 1 GHz = 1 us
  EnergyReport r2 = compute_energy(a, t, hand_counts(2000), area);
  EXPECT_DOUBLE_EQ(r1.seconds, 1e-6);
  // SRAM: 64 KiB = 0.0625 MiB x 0.1 W/MiB = 6.25 mW -> 6.25 nJ in 1 us
  EXPECT_NEAR(r1.breakdown_j.at("static.sram"), 6.25e-3 * 1e-6, 1e-18);
  EXPECT_NEAR(r1.breakdown_j.at("static.logic"), 0.02 * area.logic_mm2() * 1e-6, 1e-18);
  EXPECT_NEAR(r1.static_power_w, 6.25e-3 + 0.02 * area.logic_mm2(), 1e-15);
  EXPECT_NEAR(r2.static_j, 2 * r1.static_j, 1e-18);            // linear in time
  EXPECT_NEAR(r2.energy_j - r1.energy_j, r1.static_j, 1e-18);  // dynamic part unchanged
  EXPECT_NEAR(r1.energy_j, r1.dynamic_j + r1.static_j, 1e-18);
  EXPECT_NEAR(r1.power_w, r1.energy_j / 1e-6, 1e-9);
  EXPECT_NEAR(r1.tops_per_w, 2.0 * 1000 / r1.energy_j / 1e12, 1e-9);
}

// The prices the mapper ranks schedules by (mapper.objective energy, edp) are the report's: their energy of
// the hand counts is the report's total, term by term (300 + 480 + 3,200 + 750 + 358,400 + 600 pJ dynamic
// plus the leakage of 1 us).
TEST(Energy, PricesGiveTheReportsEnergy) {
  ArchSpec a = test::small_arch(45);
  TechTable t = hand_table();
  AreaReport area = compute_area(a, t);
  const EventPrices prices = event_prices(a, t, area);
  const EnergyReport r = compute_energy(a, t, hand_counts(1000), area);
  EXPECT_NEAR(prices.energy_j(hand_counts(1000)), r.energy_j, 1e-18);
  EXPECT_NEAR(prices.energy_j(hand_counts(1000)), 363730e-12 + r.static_power_w * 1e-6, 1e-18);
  EXPECT_NEAR(prices.dram_read_j, 8 * 44.8e-12, 1e-24);  // DDR4: 44.8 pJ/bit
  EXPECT_NEAR(prices.logic_leak_w + prices.sram_leak_w, r.static_power_w, 1e-15);
}

TEST(Energy, EveryVectorOpHasAnEnergyEntry) {
  const TechTable t = hand_table();
  for (const char* kind : kVectorOps)
    EXPECT_TRUE(t.values().count(std::string("vector_") + kind + "_pj")) << kind;
}

// The shipped tables copied with vector_silu_pj renamed: a tech data set that cannot price SiLU.
std::shared_ptr<const TechData> tech_without_silu() {
  const std::filesystem::path from = std::filesystem::path(data_dir()) / "tech";
  const std::filesystem::path to = test::scratch_dir() / "tech";
  std::filesystem::create_directories(to);
  for (const char* f : {"node_scaling.yaml", "logic.yaml", "sram_cacti7.yaml", "dram.yaml"}) {
    std::string text = test::slurp((from / f).string());
    if (std::string(f) == "logic.yaml") {
      const std::size_t at = text.find("vector_silu_pj:");
      EXPECT_NE(at, std::string::npos);
      if (at != std::string::npos) text.replace(at, 15, "vector_swish_pj:");
    }
    std::ofstream((to / f).string()) << text;
  }
  return TechData::load(to.string());
}

TEST(Energy, UnpricedVectorOpAndMissingDramTypeAreErrors) {
  ArchSpec a = test::small_arch(45);
  EventCounts c = hand_counts(10);
  c.vector_ops[VectorOp::silu] = 1;
  EXPECT_NO_THROW(compute_energy(a, hand_table(), c));
  EXPECT_THROW(compute_energy(a, TechTable(tech_without_silu(), 45), c), std::invalid_argument);
  c = hand_counts(10);
  a.dram.type = "";
  EXPECT_THROW(compute_energy(a, hand_table(), c), ConfigError);
}

}  // namespace
}  // namespace catsim
