// The shipped data tables compiled in as trees: each must rebuild exactly the tree yaml-cpp parses from the
// file (types, scalars, key order), be used only where a load turns snapshots on, and a load that fails on
// a snapshot must still report its error at line:column.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "arch/config/config_node.h"
#include "arch/config/error.h"
#include "arch/config/yaml_snapshot.h"
#include "tests/support/paths.h"

namespace catsim {
namespace {

// Equal trees: the same node types, scalars, sequence elements and map pairs in the same order.
void expect_same_tree(const YAML::Node& a, const YAML::Node& b, const std::string& path) {
  ASSERT_EQ(a.Type(), b.Type()) << path;
  if (a.IsScalar()) {
    EXPECT_EQ(a.Scalar(), b.Scalar()) << path;
  } else if (a.IsSequence()) {
    ASSERT_EQ(a.size(), b.size()) << path;
    for (std::size_t i = 0; i < a.size(); ++i) expect_same_tree(a[i], b[i], path + "[" + std::to_string(i) + "]");
  } else if (a.IsMap()) {
    ASSERT_EQ(a.size(), b.size()) << path;
    auto ia = a.begin();
    auto ib = b.begin();
    for (; ia != a.end(); ++ia, ++ib) {
      ASSERT_EQ(ia->first.Scalar(), ib->first.Scalar()) << path;
      expect_same_tree(ia->second, ib->second, path + "." + ia->first.Scalar());
    }
  }
}

std::vector<std::string> shipped_tables() {
  std::vector<std::string> files{test::source_path("configs/regions.yaml")};
  for (const auto& e : std::filesystem::directory_iterator(test::source_path("configs/tech")))
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  return files;
}

TEST(YamlSnapshot, EveryShippedTableRebuildsTheTreeYamlCppParses) {
  const std::vector<std::string> files = shipped_tables();
  EXPECT_EQ(yaml_snapshots().size(), files.size());  // configs/tech/*.yaml and regions.yaml, no more, no fewer
  for (const std::string& file : files) {
    const YAML::Node parsed = ConfigNode::parse_file(file);
    SnapshotScope on;
    const YAML::Node rebuilt = ConfigNode::parse_file(file);
    EXPECT_TRUE(rebuilt.Mark().is_null()) << file << ": not loaded from its snapshot";
    EXPECT_FALSE(parsed.Mark().is_null()) << file;
    expect_same_tree(rebuilt, parsed, file);
  }
}

TEST(YamlSnapshot, OnlyALoadThatTurnsThemOnUsesThem) {
  const std::string logic = test::source_path("configs/tech/logic.yaml");
  EXPECT_FALSE(ConfigNode::parse_file(logic).Mark().is_null());
  {
    SnapshotScope on;
    SnapshotScope nested;
    EXPECT_TRUE(ConfigNode::parse_file(logic).Mark().is_null());
  }
  EXPECT_FALSE(ConfigNode::parse_file(logic).Mark().is_null());  // the scope ended
}

TEST(YamlSnapshot, AFailedLoadReportsItsErrorAtLineAndColumn) {
  const std::string logic = test::source_path("configs/tech/logic.yaml");
  int loads = 0;
  try {
    load_with_snapshots([&] {
      ++loads;
      ConfigNode root = ConfigNode::load_file(logic);
      root.fail("entries", "refused by the test");
      return 0;
    });
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(loads, 2);  // once on the snapshot, once parsed
    EXPECT_GT(e.where().line, 0) << e.what();
    EXPECT_NE(std::string(e.what()).find("logic.yaml:"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace catsim
