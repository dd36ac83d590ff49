#pragma once
// Layering of configuration trees: a preset under a file's own keys, and `--set target.a.b=value`
// overrides on top. Each merged leaf remembers its origin so errors still point at the right file.

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "arch/config/config_node.h"

namespace catsim {

struct Override {
  std::string target;  // "arch" or "model"
  std::string path;    // dotted key path inside the target, e.g. systolic.rows
  std::string value;   // YAML text of the new value
};

// Parses `arch.systolic.rows=64` style arguments; a malformed one is a ConfigError at `--set`.
std::vector<Override> parse_overrides(const std::vector<std::string>& args);

// Deep-merges `top` over `base` (maps merge key by key; anything else replaces; a top-level `preset`
// key is skipped), recording in
// `origins` that every leaf of `top` came from `top_file`.
YAML::Node merge_trees(const YAML::Node& base, const YAML::Node& top, Origins& origins,
                       const std::string& top_file, const std::string& prefix = "");

// Records every leaf path of `node` as coming from `file`.
void record_origins(const YAML::Node& node, Origins& origins, const std::string& file,
                    const std::string& prefix = "");

// Applies the overrides whose target matches; their leaves are recorded as coming from `--set`.
void apply_overrides(YAML::Node& root, const std::vector<Override>& overrides, const std::string& target,
                     Origins& origins);

// The shipped data directory (see find_data_dir) and a shipped config in it: `<data dir>/<folder>/<name>.yaml`.
std::string data_dir();
std::string shipped_config(const std::string& folder, const std::string& name);
// A file argument of the command line: the path as given, or, for a bare name (no '/', no extension, no
// such file here) such as `edge_npu` or `bert-base`, the shipped config of that name in the first of
// `folders` that has one (arch, models); unchanged when none has.
std::string shipped_or_path(const std::string& arg, std::initializer_list<const char*> folders);

}  // namespace catsim
