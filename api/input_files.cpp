#include "api/input_files.h"

#include <filesystem>

#include "arch/config/bundle.h"
#include "arch/config/config_node.h"
#include "arch/config/error.h"
#include "arch/config/overrides.h"

namespace catsim {

namespace {

// Files read by their extension, never as YAML: a HuggingFace config, a SCALE-Sim topology, an ONNX graph.
bool model_by_extension(const std::string& file) {
  const auto ext = std::filesystem::path(file).extension();
  return ext == ".json" || ext == ".csv" || ext == ".onnx";
}

}  // namespace

bool looks_like_arch(const std::string& file) {
  if (model_by_extension(file)) return false;
  YAML::Node root = ConfigNode::parse_file(file);
  return root["systolic"].IsDefined() || root["clock_mhz"].IsDefined() || root["preset"].IsDefined();
}

bool looks_like_model(const std::string& file) {
  if (model_by_extension(file)) return true;
  YAML::Node root = ConfigNode::parse_file(file);
  if (is_config_bundle(root)) return false;
  return root.IsMap() && (root["family"].IsDefined() || root["hf_config"].IsDefined() || root["kind"].IsDefined());
}

void reject_space_file(const std::string& file) {
  if (model_by_extension(file)) return;
  const YAML::Node root = ConfigNode::parse_file(file);
  if (root["parameters"].IsDefined() && !root["systolic"].IsDefined() && !root["family"].IsDefined())
    throw ConfigError({file, 0, 0}, "",
                      "this is a search space file, not an arch or a model; run it with catsim search " + file +
                          " --out DIR");
}

void check_argument_order(const std::string& arch_file, const std::string& model_file) {
  if (arch_file == model_file) return;  // a --dump-config bundle given alone holds both
  const std::string usage = "usage: catsim ARCH MODEL";
  reject_space_file(arch_file);
  reject_space_file(model_file);
  if (looks_like_model(arch_file))
    throw ConfigError({arch_file, 0, 0}, "",
                      "this looks like a model file, not an arch file" +
                          std::string(looks_like_arch(model_file) ? " (ARCH and MODEL swapped?)" : "") + "; " + usage);
  if (looks_like_arch(model_file))
    throw ConfigError({model_file, 0, 0}, "", "this looks like an arch file, not a model file; " + usage);
}

void resolve_shipped_names(std::string& arch_file, std::string& model_file) {
  // A shipped name of the other kind resolves too, so that swapped names are said to be swapped.
  arch_file = shipped_or_path(arch_file, {"arch", "models"});
  model_file = shipped_or_path(model_file, {"models", "arch"});
}

}  // namespace catsim
