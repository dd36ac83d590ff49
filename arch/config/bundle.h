#pragma once
// A resolved-configuration file (what `catsim ARCH MODEL --dump-config` prints) holds an `arch:` and a
// `model:` block in one YAML file; the arch and model readers each take their own block from it.

#include <yaml-cpp/yaml.h>

#include <string>

namespace catsim {

// True when `root` is a map whose keys are `arch` and `model` (both maps) plus optional
// `catsim_version` and `command_line`: the layout --dump-config writes.
inline bool is_config_bundle(const YAML::Node& root) {
  if (!root.IsMap()) return false;
  for (const char* part : {"arch", "model"}) {
    const YAML::Node n = root[part];
    if (!n.IsDefined() || !n.IsMap()) return false;
  }
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    if (key != "arch" && key != "model" && key != "catsim_version" && key != "command_line") return false;
  }
  return true;
}

// The `part` ("arch" or "model") block of a bundle, or `root` itself for an ordinary file.
inline YAML::Node bundle_part(const YAML::Node& root, const char* part) {
  return is_config_bundle(root) ? YAML::Node(root[part]) : root;
}

}  // namespace catsim
