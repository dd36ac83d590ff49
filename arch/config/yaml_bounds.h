#pragma once
// Bounded YAML loading: exactly one document, no duplicate keys, only scalar keys, nesting and alias
// expansion bounded, so an alias bomb or a typo'd repeated key is an error with line:column, never a hang.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>

namespace catsim {

inline constexpr std::size_t kMaxYamlNodes = 100'000;  // nodes visited with aliases expanded
inline constexpr int kMaxYamlDepth = 64;               // nesting of maps and lists

// Parses `text` (from `file`, or "--set"); YAML syntax errors and the checks above become ConfigError.
YAML::Node load_bounded_yaml(const std::string& text, const std::string& file);

// Checks an already parsed tree: node count, depth, duplicate and non-scalar keys.
void check_yaml_tree(const YAML::Node& root, const std::string& file);

}  // namespace catsim
