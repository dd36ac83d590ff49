#pragma once
// A design as a user names it (an arch and a model, each a path or a shipped name, and KEY=VALUE
// overrides) and as the simulator reads it: the one loader behind the command line and the Python module.

#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "workloads/model_spec.h"

namespace catsim {

struct DesignInputs {
  std::string arch;               // arch.yaml, a shipped arch name, or a --dump-config file (then no model)
  std::string model;              // model.yaml, a HuggingFace config.json, a SCALE-Sim .csv or a shipped name
  std::vector<std::string> set;   // overrides: arch.KEY.PATH=VALUE or model.KEY.PATH=VALUE
};

struct Design {
  ArchSpec arch;
  ModelSpec model;  // its warnings (e.g. an ignored HuggingFace key) are the caller's to show
};

// The files `in` names: shipped names resolved, the model of a --dump-config file given alone taken from
// it (ConfigError when the file given alone is not one).
DesignInputs resolve_design_files(const DesignInputs& in);

// Checks the overrides, resolves the files and loads both with the overrides applied; ConfigError for any
// bad input. Nothing is simulated.
Design load_design(const DesignInputs& in);

// load_design of files resolve_design_files returned. Where they fail to load, ConfigError says so for swapped
// or mistaken files (a model as ARCH, a search space) rather than naming the first unknown key.
Design load_resolved_design(const DesignInputs& files);

}  // namespace catsim
