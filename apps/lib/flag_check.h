#pragma once
// Command-line hygiene before CLI11 parses: an unknown option is a one-line error that suggests the
// closest known one (`--jsn` -> `--json`), and an ARCH and MODEL given in the wrong order are named.

#include <CLI/CLI.hpp>
#include <string>

namespace catsim {

// Throws ConfigError at "command line" for the first argument that looks like an option `app` lacks.
void check_known_options(const CLI::App& app, int argc, char** argv, const std::string& usage_hint);

// `catsim edge_npu bert-base`: a bare name (no '/', no extension, no such file here) names a shipped arch
// (configs/arch) or model (configs/models); other arguments are paths and stay as given.
void resolve_shipped_names(std::string& arch_file, std::string& model_file);

// Throws ConfigError when `arch_file` is a model file or `model_file` an arch file (usage in the message).
void check_argument_order(const std::string& arch_file, const std::string& model_file);

// True when the file is a model: a .json HuggingFace config, or YAML with family:, hf_config: or kind:.
bool looks_like_model(const std::string& file);

// Throws ConfigError when `file` is a search space (YAML with parameters:) given to a command that reads an
// arch or a model: the message names the command that runs it.
void reject_space_file(const std::string& file);

}  // namespace catsim
