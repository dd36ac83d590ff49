// Shipped arch presets load; presets layer under a file's keys; --set overrides on top.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "arch/arch_parser.h"
#include "arch/mac_rate.h"
#include "tests/support/paths.h"

namespace catsim {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  auto p = std::filesystem::temp_directory_path() / ("catsim_arch_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(p) << text;
  return p.string();
}

TEST(ArchParser, ShippedPresetsLoad) {
  for (const char* f : {"edge_npu", "tpuv1", "datacenter", "catransformers_baseline"}) {
    ArchSpec a = load_arch(test::arch_config(std::string(f) + ".yaml"));
    EXPECT_GT(a.systolic.rows, 0) << f;
    EXPECT_TRUE(a.supports(Precision::int8)) << f;
  }
}

TEST(ArchParser, TpuV1PeakIs92Tops) {
  ArchSpec a = load_arch(test::arch_config("tpuv1.yaml"));
  // 256 * 256 MACs * 2 ops * 700e6 Hz = 91.75 TOPS
  EXPECT_NEAR(a.peak_tops(Precision::int8), 91.75, 0.01);
  EXPECT_EQ(a.systolic.dataflow, Dataflow::ws);
}

TEST(ArchParser, PresetThenOwnKeysThenOverrides) {
  std::string f = write_temp("preset.yaml", "preset: edge_npu\nname: mine\nsystolic: {rows: 16}\n");
  ArchSpec a = load_arch(f, parse_overrides({"arch.systolic.cols=8", "arch.dram.model=ideal"}));
  EXPECT_EQ(a.name, "mine");
  EXPECT_EQ(a.systolic.rows, 16);   // the file's own key over the preset
  EXPECT_EQ(a.systolic.cols, 8);    // --set over both
  EXPECT_EQ(a.sram.kib, 512);       // from the preset
  EXPECT_EQ(a.dram.model, DramModel::ideal);
}

TEST(ArchParser, ErrorInPresetKeyNamesTheOverridingFile) {
  std::string f = write_temp("badpreset.yaml", "preset: edge_npu\nname: x\nsystolic:\n  rows: -4\n");
  try {
    load_arch(f);
    FAIL() << "expected an error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.where().file, f);
    EXPECT_EQ(e.where().line, 4);
    EXPECT_EQ(e.key(), "systolic.rows");
  }
}

TEST(ArchParser, SetErrorsPointAtTheCommandLine) {
  try {
    load_arch(test::arch_config("edge_npu.yaml"), parse_overrides({"arch.systolic.rows=zero"}));
    FAIL() << "expected an error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.where().file, "--set");
    EXPECT_EQ(e.key(), "systolic.rows");
  }
}

// `bad` (arch.KEY=VALUE) given with --set on edge_npu is a ConfigError naming KEY at --set.
void expect_set_refused(const std::string& bad) {
  try {
    load_arch(test::arch_config("edge_npu.yaml"), parse_overrides({bad}));
    ADD_FAILURE() << bad << ": expected an error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), bad.substr(5, bad.find('=') - 5)) << bad;
    EXPECT_EQ(e.where().file, "--set") << bad;
  }
}

TEST(ArchParser, MemoryKeysDefaultAndRange) {
  ArchSpec a = load_arch(test::arch_config("edge_npu.yaml"));
  EXPECT_EQ(a.dma.outstanding, 64);  // the defaults
  EXPECT_EQ(a.dram.burst_bytes, 64);
  ArchSpec b = load_arch(test::arch_config("edge_npu.yaml"),
                         parse_overrides({"arch.dma.outstanding=8", "arch.dram.burst_bytes=128"}));
  EXPECT_EQ(b.dma.outstanding, 8);
  EXPECT_EQ(b.dram.burst_bytes, 128);
  for (const char* bad : {"arch.dma.outstanding=0", "arch.dma.outstanding=65537", "arch.dram.burst_bytes=-64",
                          "arch.dram.burst_bytes=100000", "arch.dma.outstandin=4"})
    expect_set_refused(bad);
}

TEST(ArchParser, MapperObjective) {
  EXPECT_EQ(load_arch(test::arch_config("edge_npu.yaml")).mapper.objective, MapperObjective::latency);  // default
  const std::pair<const char*, MapperObjective> given[] = {{"latency", MapperObjective::latency},
                                                           {"energy", MapperObjective::energy},
                                                           {"edp", MapperObjective::edp}};
  for (const auto& [name, objective] : given)
    EXPECT_EQ(load_arch(test::arch_config("edge_npu.yaml"),
                        parse_overrides({std::string("arch.mapper.objective=") + name}))
                  .mapper.objective,
              objective);
  for (const char* bad : {"arch.mapper.objective=fast", "arch.mapper.objective=1", "arch.mapper.objectives=energy"})
    expect_set_refused(bad);
}

TEST(ArchParser, MacRates) {
  EXPECT_TRUE(valid_mac_rate(1));
  EXPECT_TRUE(valid_mac_rate(4));
  EXPECT_TRUE(valid_mac_rate(0.25));
  EXPECT_TRUE(valid_mac_rate(1.0 / 3.0));
  EXPECT_FALSE(valid_mac_rate(1.5));
  EXPECT_FALSE(valid_mac_rate(0.4));
  EXPECT_FALSE(valid_mac_rate(0));
}

}  // namespace
}  // namespace catsim
