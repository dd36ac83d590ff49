// The reference rendered from parameter declarations: numbers as the docs write them, one row per key with
// the declared unit, range, default and meaning, and reads through a declaration that honour its range and
// default.

#include <gtest/gtest.h>

#include "arch/config/config_node.h"
#include "arch/config/param_reference.h"

namespace catsim {
namespace {

TEST(ParamReference, NumbersAsTheDocsWriteThem) {
  EXPECT_EQ(reference_number(0), "0");
  EXPECT_EQ(reference_number(4096), "4,096");
  EXPECT_EQ(reference_number(1'048'576), "1,048,576");
  EXPECT_EQ(reference_number(1e9), "10⁹");
  EXPECT_EQ(reference_number(16'777'216), "16,777,216");
  EXPECT_EQ(reference_number(1e-6), "10⁻⁶");
  EXPECT_EQ(reference_number(0.01), "0.01");
  EXPECT_EQ(reference_number(1.0 / 64), "1/64");
  EXPECT_EQ(reference_number(2.2), "2.2");
  EXPECT_EQ(reference_number(-1), "-1");
}

constexpr Param kTable[] = {
    {.path = "a.rows", .type = ParamType::integer, .unit = "PEs", .lo = 1, .hi = 4096, .value_default = 8,
     .what = "rows"},
    {.path = "a.size", .unit = "KiB", .lo = 0, .hi = 1024, .lo_open = true, .what = "size"},
    {.path = "a.mode", .type = ParamType::choice, .choices = "x|y", .choice_default = "y", .note = "which"},
};

TEST(ParamReference, OneRowPerDeclaration) {
  EXPECT_EQ(param_reference_table(kTable),
            "| key | unit | range | default | meaning |\n"
            "|---|---|---|---|---|\n"
            "| `a.rows` | PEs | 1–4,096 | 8 | rows |\n"
            "| `a.size` | KiB | > 0, ≤ 1,024 | required | size |\n"
            "| `a.mode` | — | `x`, `y` | `y` | which |\n");
}

TEST(ParamReference, ACellWithTheSeparatorIsRefused) {
  constexpr Param bad[] = {{.path = "k", .type = ParamType::text, .note = "a | b"}};
  EXPECT_THROW(param_reference_table(bad), std::logic_error);
}

ConfigNode node(const std::string& yaml) {
  return ConfigNode(YAML::Load(yaml), std::make_shared<Origins>("t.yaml"), "a");
}

TEST(ParamReference, ReadsHonourTheDeclaration) {
  constexpr const Param& rows = find_param(kTable, "a.rows");
  constexpr const Param& size = find_param(kTable, "a.size");
  constexpr const Param& mode = find_param(kTable, "a.mode");
  EXPECT_EQ(node("{}").read_int(rows), 8);  // the declared default
  EXPECT_EQ(node("{rows: 4096}").read_int(rows), 4096);
  EXPECT_THROW(node("{rows: 4097}").read_int(rows), ConfigError);
  EXPECT_THROW(node("{rows: 4294967297}").read_int(rows), ConfigError);  // not narrowed to 1
  EXPECT_THROW(node("{}").read_number(size), ConfigError);               // required
  EXPECT_THROW(node("{size: 0}").read_number(size), ConfigError);        // the open end
  EXPECT_EQ(node("{size: 0.5}").read_number(size), 0.5);
  EXPECT_EQ(node("{}").read_number_or(size, 3), 3);  // a default the caller computes
  EXPECT_EQ(node("{}").read_choice(mode), "y");
  EXPECT_THROW(node("{mode: z}").read_choice(mode), ConfigError);
  try {
    node("{rows: 0}").read_int(rows);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("a.rows: out of range, got 0 (expected 1..4096, rows)"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace catsim
