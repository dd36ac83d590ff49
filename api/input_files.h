#pragma once
// What kind of input a file is, before it is parsed as one: an arch, a model or a search space, so that an
// ARCH and MODEL given in the wrong order, or a space given where a design is expected, is named as such;
// and shipped names (`edge_npu`, `bert-base`) resolved to their files.

#include <string>

namespace catsim {

// `catsim edge_npu bert-base`: a bare name (no '/', no extension, no such file here) names a shipped arch
// (configs/arch) or model (configs/models), its own kind first; other arguments are paths and stay as given.
void resolve_shipped_names(std::string& arch_file, std::string& model_file);

// Throws ConfigError when `arch_file` is a model file or `model_file` an arch file (usage in the message); one
// file given as both (a --dump-config bundle) passes.
void check_argument_order(const std::string& arch_file, const std::string& model_file);

// True when a YAML file describes an accelerator (it has systolic:, clock_mhz: or preset:).
bool looks_like_arch(const std::string& file);

// True when the file is a model: a .json HuggingFace config, or YAML with family:, hf_config: or kind:.
bool looks_like_model(const std::string& file);

// Throws ConfigError when `file` is a search space (YAML with parameters:) given to a command that reads an
// arch or a model: the message names the command that runs it.
void reject_space_file(const std::string& file);

}  // namespace catsim
