#include "api/design.h"

#include "api/input_files.h"
#include "arch/arch_parser.h"
#include "arch/config/bundle.h"
#include "arch/config/config_node.h"
#include "arch/config/error.h"
#include "arch/config/overrides.h"
#include "workloads/model_parser.h"
#include "carbon/tech/dram_devices.h"

namespace catsim {

DesignInputs resolve_design_files(const DesignInputs& in) {
  DesignInputs out = in;
  resolve_shipped_names(out.arch, out.model);
  if (!out.model.empty()) return out;
  // `catsim FILE`: a --dump-config bundle holds both the arch and the model.
  if (!is_config_bundle(ConfigNode::parse_file(out.arch)))
    throw ConfigError({"command line", 0, 0}, "MODEL",
                      "missing (usage: catsim ARCH MODEL, or catsim FILE with a file written by --dump-config)");
  out.model = out.arch;
  return out;
}

Design load_design(const DesignInputs& in) {
  parse_overrides(in.set);  // a bad --set is named before the files are read
  return load_resolved_design(resolve_design_files(in));
}

Design load_resolved_design(const DesignInputs& files) {
  const std::vector<Override> overrides = parse_overrides(files.set);
  try {
    Design d{load_arch(files.arch, overrides), load_model(files.model, overrides)};
    resolve_dram_part(d.arch);
    return d;
  } catch (const ConfigError&) {
    // A model given as ARCH, files swapped, a search space: said as such rather than as the first key the
    // loader did not know. Only a file that fails to load is looked at again, so a run parses each file once.
    check_argument_order(files.arch, files.model);
    throw;
  }
}

}  // namespace catsim
