#include "arch/config/overrides.h"

#include "arch/config/yaml_bounds.h"
#include "arch/io/install_paths.h"

#include <filesystem>

namespace catsim {

std::vector<Override> parse_overrides(const std::vector<std::string>& args) {
  std::vector<Override> out;
  for (const auto& a : args) {
    auto eq = a.find('=');
    auto dot = a.find('.');
    if (eq == std::string::npos || dot == std::string::npos || dot > eq || dot + 1 == eq)
      throw ConfigError({"--set", 0, 0}, a, "malformed override (expected arch.KEY.PATH=VALUE or model.KEY.PATH=VALUE)");
    Override o{a.substr(0, dot), a.substr(dot + 1, eq - dot - 1), a.substr(eq + 1)};
    if (o.target != "arch" && o.target != "model")
      throw ConfigError({"--set", 0, 0}, a, "unknown target '" + o.target + "' (expected arch or model)");
    if (o.value.empty()) throw ConfigError({"--set", 0, 0}, a, "empty value (expected KEY=VALUE)");
    out.push_back(std::move(o));
  }
  return out;
}

void record_origins(const YAML::Node& node, Origins& origins, const std::string& file, const std::string& prefix) {
  if (!prefix.empty()) origins.set(prefix, file);
  if (!node.IsMap()) return;
  for (const auto& kv : node) {
    std::string p = prefix.empty() ? kv.first.Scalar() : prefix + "." + kv.first.Scalar();
    record_origins(kv.second, origins, file, p);
  }
}

YAML::Node merge_trees(const YAML::Node& base, const YAML::Node& top, Origins& origins, const std::string& top_file,
                       const std::string& prefix) {
  if (!base.IsMap() || !top.IsMap()) {
    record_origins(top, origins, top_file, prefix);
    return top;
  }
  // A fresh map whose entries share the original nodes, so every value keeps its line:column.
  YAML::Node out(YAML::NodeType::Map);
  for (const auto& kv : base) out[kv.first.Scalar()] = kv.second;
  for (const auto& kv : top) {
    const std::string key = kv.first.Scalar();
    if (prefix.empty() && key == "preset") continue;
    const std::string p = prefix.empty() ? key : prefix + "." + key;
    if (out[key].IsDefined() && out[key].IsMap() && kv.second.IsMap()) {
      YAML::Node merged = merge_trees(out[key], kv.second, origins, top_file, p);
      out.remove(key);
      out[key] = merged;
    } else {
      out.remove(key);
      out[key] = kv.second;
      record_origins(kv.second, origins, top_file, p);
    }
  }
  return out;
}

void apply_overrides(YAML::Node& root, const std::vector<Override>& overrides, const std::string& target,
                     Origins& origins) {
  for (const auto& o : overrides) {
    if (o.target != target) continue;
    YAML::Node value;
    try {
      value = load_bounded_yaml(o.value, "--set");
    } catch (const ConfigError& e) {
      throw ConfigError({"--set", 0, 0}, target + "." + o.path, e.problem());
    }
    YAML::Node cursor = root;
    std::size_t start = 0;
    while (true) {
      std::size_t dot = o.path.find('.', start);
      std::string key = o.path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (key.empty()) throw ConfigError({"--set", 0, 0}, target + "." + o.path, "empty key in path");
      if (dot == std::string::npos) {
        cursor[key] = value;
        break;
      }
      if (!cursor[key].IsDefined() || cursor[key].IsNull()) cursor[key] = YAML::Node(YAML::NodeType::Map);
      if (!cursor[key].IsMap())
        throw ConfigError({"--set", 0, 0}, target + "." + o.path, "'" + key + "' is not a mapping, cannot set a key inside it");
      YAML::Node next = cursor[key];
      cursor.reset(next);
      start = dot + 1;
    }
    origins.set(o.path, "--set");
    record_origins(value, origins, "--set", o.path);
  }
}

std::string data_dir() { return find_data_dir().path.string(); }

std::string shipped_config(const std::string& folder, const std::string& name) {
  return (std::filesystem::path(data_dir()) / folder / (name + ".yaml")).string();
}

std::string shipped_or_path(const std::string& arg, std::initializer_list<const char*> folders) {
  std::error_code ec;
  if (arg.empty() || arg.find_first_of("/.") != std::string::npos || std::filesystem::exists(arg, ec)) return arg;
  for (const char* folder : folders) {
    const std::string shipped = shipped_config(folder, arg);
    if (std::filesystem::is_regular_file(shipped, ec)) return shipped;
  }
  return arg;
}

}  // namespace catsim
