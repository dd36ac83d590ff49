#pragma once
// What every benchmark case starts with: the shipped arch and model it names, loaded once; a case whose
// files do not load is marked skipped with the reason instead of timing nothing.

#include <benchmark/benchmark.h>

#include <exception>
#include <string>
#include <vector>

#include "arch/arch_parser.h"
#include "arch/config/overrides.h"
#include "carbon/tech/dram_devices.h"
#include "workloads/model_parser.h"

namespace catsim {

inline constexpr double kBenchChildTimeoutS = 120;           // a case far slower than this is broken, not slow
inline constexpr double kBenchRssLimitMib = 500e6 / (1 << 20);  // 500 MB, the memory goal, in MiB

// `dram_model`: the arch's dram.model when given (e.g. "banked", whose part is looked up as a run does).
inline bool load_shipped_case(benchmark::State& state, const std::string& arch_name, const std::string& model_name,
                              ArchSpec& arch, ModelSpec& model, const std::string& dram_model = "") {
  try {
    std::vector<Override> overrides;
    if (!dram_model.empty()) overrides.push_back({"arch", "dram.model", dram_model});
    arch = load_arch(shipped_config("arch", arch_name), overrides);
    resolve_dram_part(arch);
    model = load_model(shipped_config("models", model_name));
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return false;
  }
  return true;
}

}  // namespace catsim
