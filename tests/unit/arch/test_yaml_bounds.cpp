// Bounded YAML loading: exactly one document. The loader skips the pass that counts documents when the text
// can hold only one, so every way yaml-cpp can end a first document early must still be caught.

#include <gtest/gtest.h>

#include <string>

#include "arch/config/error.h"
#include "arch/config/yaml_bounds.h"

namespace catsim {
namespace {

// The one-line message of the error loading `text` as f.yaml, or "" when it loads.
std::string error_of(const std::string& text) {
  try {
    load_bounded_yaml(text, "f.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const std::string kSecond = "a second YAML document (expected exactly one; remove the '---')";

TEST(YamlBounds, OneBlockMapLoadsWhole) {
  const YAML::Node root = load_bounded_yaml("a: 1\nb: {c: 2}\nd: |\n  ---\n  ...\n", "f.yaml");
  EXPECT_EQ(root["b"]["c"].as<int>(), 2);
  EXPECT_EQ(root["d"].as<std::string>(), "---\n...\n");  // markers indented inside a block scalar are text
  EXPECT_EQ(error_of("a: 1\n...\n"), "");                 // a document end with nothing after it
  EXPECT_EQ(error_of("%YAML 1.2\n---\na: 1\n"), "");      // a directive and an explicit start
}

TEST(YamlBounds, EveryWayToEndTheFirstDocumentEarlyIsRefused) {
  EXPECT_EQ(error_of("a: 1\n---\nb: 2\n"), "f.yaml:2:1: " + kSecond);  // where the second document starts
  EXPECT_EQ(error_of("a: 1\n--- \n"), "f.yaml:2:1: " + kSecond);
  EXPECT_EQ(error_of("a: 1\n...\nb: 2\n"), "f.yaml:3:1: " + kSecond);
  EXPECT_NE(error_of("a: 1\r---\rb: 2\r"), "");                         // old Mac line ends
  EXPECT_EQ(error_of("\xEF\xBB\xBF" "a: 1\n---\nb: 2\n"), "f.yaml:2:1: " + kSecond);  // after a byte-order mark
  // No marker: the root closes early because it is not a block map starting in column 1.
  EXPECT_EQ(error_of("  a: 1\nb: 2\n"), "f.yaml:2:1: " + kSecond);
  EXPECT_EQ(error_of("{a: 1}\nb: 2\n"), "f.yaml:2:1: " + kSecond);
  EXPECT_EQ(error_of(", a: 1}\n"), "f.yaml:1:1: YAML syntax error: unexpected ',' (expected key: value lines)");
}

TEST(YamlBounds, EncodingsOtherThanUtf8TakeTheFullCheck) {
  std::string utf16 = "\xFF\xFE";  // UTF-16LE: "a: 1\n---\nb: 2\n"
  for (char c : std::string("a: 1\n---\nb: 2\n")) utf16 += std::string{c, '\0'};
  EXPECT_EQ(error_of(utf16), "f.yaml:2:1: " + kSecond);
}

}  // namespace
}  // namespace catsim
