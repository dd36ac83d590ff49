#include "apps/lib/flag_check.h"

#include "arch/config/overrides.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "apps/lib/info_command.h"
#include "arch/config/bundle.h"
#include "arch/config/config_node.h"

namespace catsim {

void check_known_options(const CLI::App& app, int argc, char** argv, const std::string& usage_hint) {
  std::vector<std::string> known;
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& l : o->get_lnames()) known.push_back("--" + l);
    for (const auto& s : o->get_snames()) known.push_back("-" + s);
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-' || arg == "--") continue;
    if (arg[1] != '-' && (std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.')) continue;  // -1.5
    const std::string name = arg.substr(0, arg.find('='));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    const std::string guess = closest_match(name, known);
    throw ConfigError({"command line", 0, 0}, name,
                      "unknown option" + (guess.empty() ? std::string() : " (did you mean " + guess + "?)") +
                          " (usage: " + usage_hint + ")");
  }
}

bool looks_like_model(const std::string& file) {
  const auto ext = std::filesystem::path(file).extension();
  if (ext == ".json" || ext == ".csv") return true;  // HuggingFace config, SCALE-Sim topology
  YAML::Node root = ConfigNode::parse_file(file);
  if (is_config_bundle(root)) return false;
  return root.IsMap() && (root["family"].IsDefined() || root["hf_config"].IsDefined() || root["kind"].IsDefined());
}

void reject_space_file(const std::string& file) {
  const auto ext = std::filesystem::path(file).extension();
  if (ext == ".json" || ext == ".csv") return;
  const YAML::Node root = ConfigNode::parse_file(file);
  if (root["parameters"].IsDefined() && !root["systolic"].IsDefined() && !root["family"].IsDefined())
    throw ConfigError({file, 0, 0}, "",
                      "this is a search space file, not an arch or a model; run it with catsim search " + file +
                          " --out DIR");
}

void check_argument_order(const std::string& arch_file, const std::string& model_file) {
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
  arch_file = shipped_or_path(arch_file, {"arch"});
  model_file = shipped_or_path(model_file, {"models"});
}

}  // namespace catsim
