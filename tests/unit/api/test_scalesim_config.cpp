// SCALE-Sim v2 .cfg files: the keys as SCALE-Sim spells them (case-insensitive, ':' or '='), the arch they
// map to, and one-line errors with the line number for malformed files.

#include <gtest/gtest.h>

#include "api/scalesim_config.h"
#include "arch/config/error.h"

namespace catsim {
namespace {

const char* kGoogle =
    "[general]\nrun_name = GoogleTPU_v1_ws\n\n[architecture_presets]\nArrayHeight:    256\nArrayWidth:     256\n"
    "IfmapSramSzkB:    6144\nFilterSramSzkB:   6144\nOfmapSramSzkB:    2048\nIfmapOffset:    0\n"
    "FilterOffset:   10000000\nOfmapOffset:    20000000\nDataflow : ws\nBandwidth : 10\nMemoryBanks: 1\n\n"
    "[run_presets]\nInterfaceBandwidth: CALC\n";

std::string error_of(const std::string& text) {
  try {
    parse_scalesim_config(text, "s.cfg");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ScaleSimConfig, ReadsTheKeysAsScaleSimSpellsThem) {
  const ScaleSimConfig c = parse_scalesim_config(kGoogle, "s.cfg");
  EXPECT_EQ(c.run_name, "GoogleTPU_v1_ws");
  EXPECT_EQ(c.rows, 256);
  EXPECT_EQ(c.cols, 256);
  EXPECT_EQ(c.ifmap_kb, 6144);
  EXPECT_EQ(c.filter_kb, 6144);
  EXPECT_EQ(c.ofmap_kb, 2048);
  EXPECT_EQ(c.dataflow, "ws");
  EXPECT_EQ(c.bandwidth, 10);
  EXPECT_FALSE(c.user_bandwidth);
  const std::string yaml = scalesim_arch_yaml(c);
  EXPECT_NE(yaml.find("rows: 256, cols: 256, dataflow: ws, timing: scalesim"), std::string::npos);
  EXPECT_NE(yaml.find("ifmap_kib: 6144, weight_kib: 6144, ofmap_kib: 2048"), std::string::npos);
  EXPECT_NE(yaml.find("model: ideal"), std::string::npos);
}

TEST(ScaleSimConfig, KeysAreCaseInsensitiveAndEqualsWorks) {
  const ScaleSimConfig c = parse_scalesim_config(
      "[architecture_presets]\narrayheight = 8\nARRAYWIDTH = 4\nifmapsramszkb = 1\nfiltersramszkb = 2\n"
      "ofmapsramszkb = 3\ndataflow = OS\nBandwidth : 10,10\n[run_presets]\nInterfaceBandwidth = USER\n",
      "dir/my.cfg");
  EXPECT_EQ(c.run_name, "my");  // no [general] run_name: the file's stem
  EXPECT_EQ(c.rows, 8);
  EXPECT_EQ(c.cols, 4);
  EXPECT_EQ(c.dataflow, "os");
  EXPECT_EQ(c.bandwidth, 10);  // one per memory bank: the first
  EXPECT_TRUE(c.user_bandwidth);
}

TEST(ScaleSimConfig, MalformedFilesAreOneLineErrorsWithLines) {
  std::string text = kGoogle;
  EXPECT_EQ(error_of(std::string(text).replace(text.find("Dataflow : ws") + 11, 2, "xs")),
            "s.cfg:13:1: Dataflow: unknown dataflow 'xs' (expected os, ws or is)");
  EXPECT_EQ(error_of(std::string(text).replace(text.find("256"), 3, "-4")).rfind("s.cfg:5:1: ArrayHeight:", 0), 0u);
  EXPECT_EQ(error_of("[architecture_presets]\nArrayHeight 8\n"),
            "s.cfg:2:1: expected 'key : value' or 'key = value', got 'ArrayHeight 8'");
  EXPECT_EQ(error_of("ArrayHeight: 8\n"), "s.cfg:1:1: ArrayHeight: key before any [section]");
  EXPECT_EQ(error_of("[architecture_presets\n"), "s.cfg:1:1: malformed section header '[architecture_presets'");
  EXPECT_EQ(error_of("[architecture_presets]\nArrayHeight: 8\narrayheight: 9\n"),
            "s.cfg:3:1: arrayheight: given twice in [architecture_presets]");
  EXPECT_NE(error_of("[architecture_presets]\nArrayHeight: 8\n").find("ArrayWidth: missing in [architecture_presets]"),
            std::string::npos);
  EXPECT_NE(error_of("[general]\nrun_name = x\n").find("[architecture_presets]: missing section"), std::string::npos);
  EXPECT_EQ(error_of(std::string(text).replace(text.find("CALC"), 4, "FAST")),
            "s.cfg:18:1: InterfaceBandwidth: unknown mode 'FAST' (expected CALC or USER)");
}

TEST(ScaleSimConfig, IntegersAreDecimalDigitsAsScaleSimReadsThem) {
  // SCALE-Sim's int() refuses a hexadecimal or exponent form; so does catsim (it read 0x10 as 16 before).
  const std::string text = kGoogle;
  for (const char* bad : {"0x10", "1e1", "16.0", "+"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(error_of(std::string(text).replace(text.find("256"), 3, bad)),
              "s.cfg:5:1: ArrayHeight: '" + std::string(bad) + "' is not a whole number in decimal digits");
  }
  EXPECT_EQ(parse_scalesim_config(std::string(text).replace(text.find("256"), 3, "+16"), "s.cfg").rows, 16);
}

}  // namespace
}  // namespace catsim
