// Malformed space files: each is one ConfigError naming the file, line:column and key.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "search/space.h"
#include "search/space_params.h"
#include "tests/unit/search/search_fixture.h"

namespace catsim::test {
namespace {

std::string error_of(const std::string& body) {
  const std::string file = write_space("bad_space.yaml", body);
  try {
    load_space(file);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SpaceErrors, UnknownTopLevelKeyNamesLineAndColumn) {
  // Lines 1-2 are arch: and model:, so `budgte` is on line 4, column 1.
  const auto msg = error_of("parameters: {arch.cores: [1, 2]}\nbudgte: {points: 3}\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:1: budgte: unknown key (did you mean 'budget'?)"), std::string::npos) << msg;
}

TEST(SpaceErrors, CarbonBlockIsCheckedBeforeAnyPoint) {
  // An unknown key or region in `carbon:` used to make every point invalid and the search exit 0; `carbon:` is
  // on line 4, its value at column 9.
  auto msg = error_of("parameters: {arch.cores: [1, 2]}\ncarbon: {operational: {grid_regoin: usa}}\nmetric: all-hw\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:9: carbon.operational.grid_regoin: unknown key"), std::string::npos) << msg;
  msg = error_of("parameters: {arch.cores: [1, 2]}\ncarbon: {operational: {grid_region: atlantis}}\nmetric: all-hw\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:9: carbon.operational.grid_region: unknown region 'atlantis'"), std::string::npos)
      << msg;
  EXPECT_EQ(error_of("parameters: {arch.cores: [1, 2]}\ncarbon: {operational: {grid_region: usa}}\nmetric: all-hw\n"),
            "no error");
}

TEST(SpaceErrors, ScreenNeedsALatencyBound) {
  // `screen:` is on line 4, its value at column 9; an unknown estimator is named at its value.
  auto msg = error_of("parameters: {arch.cores: [1, 2]}\nscreen: {estimator: roofline}\nmetric: all-hw\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:9: screen: screens on latency: needs constraints.max_latency_s"), std::string::npos)
      << msg;
  msg = error_of("parameters: {arch.cores: [1, 2]}\nscreen: {estimator: exact}\nmetric: all-hw\n"
                 "constraints: {max_latency_s: 0.01}\n");
  EXPECT_NE(msg.find("screen.estimator"), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected one of roofline|sequential"), std::string::npos) << msg;
}

TEST(SpaceErrors, EmptyRange) {
  const auto msg = error_of("parameters:\n  arch.systolic.rows: {from: 64, to: 2, step: x2}\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:23: arch.systolic.rows: empty range: from 64 > to 2"), std::string::npos) << msg;
}

TEST(SpaceErrors, EmptyChoiceList) {
  const auto msg = error_of("parameters:\n  arch.cores: []\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:15: arch.cores: empty list of choices"), std::string::npos) << msg;
}

TEST(SpaceErrors, ParameterThatIsNotAnArchOrModelKey) {
  const auto msg = error_of("parameters:\n  systolic.rows: [4, 8]\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:18: systolic.rows: not an arch or model parameter"), std::string::npos) << msg;
}

TEST(SpaceErrors, ArchKeyTheArchDoesNotHave) {
  const auto msg = error_of("parameters:\n  arch.systolic.rowz: [4, 8]\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:23: arch.systolic.rowz: value 4:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown key"), std::string::npos) << msg;
}

TEST(SpaceErrors, ValueOutOfTheArchRange) {
  const auto msg = error_of("parameters:\n  arch.cores: [1, 5000]\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:15: arch.cores: value 5000:"), std::string::npos) << msg;
}

TEST(SpaceErrors, ModelKeyThatIsNotPruning) {
  const auto msg = error_of("parameters:\n  model.workload.batch: [1, 2]\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:25: model.workload.batch: only the model's pruning keys may vary"),
            std::string::npos)
      << msg;
}

TEST(SpaceErrors, PruningBeyondTheOriginal) {
  const auto msg = error_of("parameters:\n  model.pruning.layers: {from: 6, to: 13}\naccuracy: {source: proxy}\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:25: model.pruning.layers: value 13:"), std::string::npos) << msg;
}

TEST(SpaceErrors, BlocksThatDoNotDivideTheOriginal) {
  const auto msg = error_of("parameters:\n  model.pruning.ffn: {from: 1, to: 7, blocks: 7}\naccuracy: {source: proxy}\n");
  EXPECT_NE(msg.find("model.pruning.ffn.blocks: 3072 does not split into 7 equal blocks"), std::string::npos) << msg;
}

TEST(SpaceErrors, AllHwWithModelParameters) {
  const auto msg = error_of("metric: all-hw\nparameters:\n  model.pruning.layers: [6, 12]\n");
  EXPECT_NE(msg.find("bad_space.yaml:5:25: model.pruning.layers: metric all-hw keeps the model fixed"),
            std::string::npos)
      << msg;
}

TEST(SpaceErrors, AccuracyModeWithoutSource) {
  const auto msg = error_of("metric: carbon\nparameters: {arch.cores: [1, 2]}\n");
  EXPECT_NE(msg.find("accuracy: metric carbon maximizes accuracy"), std::string::npos) << msg;
}

TEST(SpaceErrors, UnknownConstraint) {
  const auto msg = error_of("parameters: {arch.cores: [1, 2]}\nconstraints: {max_latency: 1}\n");
  EXPECT_NE(msg.find("bad_space.yaml:4:15: constraints.max_latency: unknown key (did you mean 'max_latency_s'?)"),
            std::string::npos)
      << msg;
}

TEST(SpaceErrors, StepThatNeverAdvances) {
  const auto msg = error_of("parameters:\n  arch.cores: {from: 1, to: 4, step: x1}\n");
  EXPECT_NE(msg.find("arch.cores: step x1 never advances"), std::string::npos) << msg;
}

TEST(SpaceParse, RangesBlocksAndTheCrossProduct) {
  const SearchSpace s = load_space(write_space("ok_space.yaml",
                                               "metric: carbon\nparameters:\n"
                                               "  arch.systolic.rows: {from: 2, to: 64, step: x2}\n"
                                               "  model.pruning.ffn: {from: 1, to: 8, blocks: 8}\n"
                                               "  model.pruning.layers: {from: 6, to: 12, step: 3}\n"
                                               "accuracy: {source: proxy}\n"));
  ASSERT_EQ(s.hardware.size(), 1u);
  EXPECT_EQ(s.hardware[0].values, (std::vector<std::string>{"2", "4", "8", "16", "32", "64"}));
  ASSERT_EQ(s.model.size(), 2u);
  EXPECT_EQ(s.model[0].values.front(), "384");  // 3072 / 8 blocks = 384 per block
  EXPECT_EQ(s.model[0].values.back(), "3072");
  EXPECT_EQ(s.model[1].values, (std::vector<std::string>{"6", "9", "12"}));
  EXPECT_EQ(s.shapes.size(), 8u * 3u);
  EXPECT_EQ(s.total_points(), 6.0 * 24.0);
}

TEST(SpaceParse, ShippedSpacesLoad) {
  for (const char* f : {"catransformers-bert-hw", "bert-base-pruning-carbon", "bert-miniatures", "vit-b16-pruning",
                        "clip-vit-b32-pruning", "llama-3-8b-decode-hw"}) {
    SCOPED_TRACE(f);
    const SearchSpace s = load_space(source_path(std::string("configs/spaces/") + f + ".yaml"));
    EXPECT_GT(s.total_points(), 0);
  }
  // CATransformers' grid: 3 cores x 4 widths x 6 depths x 5 SRAM x 3 bandwidths x 3 global buffers.
  EXPECT_EQ(load_space(source_path("configs/spaces/catransformers-bert-hw.yaml")).total_points(), 3240.0);
  EXPECT_EQ(load_space(source_path("configs/spaces/bert-miniatures.yaml")).shapes.size(), 4u);
}

// Every declared space key is read and checked: a bad value for it is a ConfigError naming it, never an
// unknown key (the declarations in search/space_params.h are the reference `catsim help space` prints).
TEST(SpaceErrors, EveryDeclaredKeyIsReadAndChecked) {
  int checked = 0;
  for (const Param& p : space_params()) {
    if (p.type == ParamType::text || p.type == ParamType::map) continue;
    std::string path(p.path);
    SCOPED_TRACE(path);
    YAML::Node body = YAML::Load("parameters:\n  arch.cores:\n    from: 1\n    to: 2\naccuracy:\n  source: proxy\n");
    if (path.starts_with("accuracy.") && path != "accuracy.source") {
      const bool command = path == "accuracy.command" || path == "accuracy.timeout_s";
      body["accuracy"]["source"] = command ? "command" : "table";
      body["accuracy"][command ? "command" : "file"] = command ? "echo 1" : "accuracy.csv";
    }
    // A bogus word for every key; for a numeric key also 2^31, 2^32, 2^63 - 1, 2^64 and -1 (NaN, +-inf and 1e308
    // for a real one) wherever they lie outside its declared range: each is read at full width and refused.
    std::vector<std::pair<std::string, double>> values = {{"bogus", NAN}};
    if (p.type == ParamType::integer || p.type == ParamType::number)
      for (const auto& v : std::vector<std::pair<std::string, double>>{{"2147483648", 0x1p31}, {"4294967296", 0x1p32},
                                                                      {"9223372036854775807", 0x1p63},
                                                                      {"18446744073709551616", 0x1p64}, {"-1", -1}})
        values.push_back(v);
    if (p.type == ParamType::number)
      for (const auto& v : std::vector<std::pair<std::string, double>>{{".nan", NAN}, {".inf", INFINITY}, {"1e308", 1e308}})
        values.push_back(v);
    for (const auto& [text, v] : values) {
      if (v >= p.lo && v <= p.hi && !(p.lo_open && v == p.lo)) continue;  // a valid value of this key
      SCOPED_TRACE(text);
      YAML::Node copy = YAML::Clone(body);
      if (path.starts_with("parameters.KEY.")) {
        copy["parameters"]["arch.cores"][path.substr(15)] = text;
      } else {
        const std::size_t dot = path.find('.');
        if (dot == std::string::npos) copy[path] = text;
        else copy[path.substr(0, dot)][path.substr(dot + 1)] = text;
      }
      YAML::Emitter out;
      out << copy;
      const std::string msg = error_of(out.c_str());
      EXPECT_NE(msg.find(std::string(param_leaf(p))), std::string::npos) << msg;
      EXPECT_EQ(msg.find("unknown key"), std::string::npos) << msg;
      EXPECT_NE(msg, "no error");
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace catsim::test
