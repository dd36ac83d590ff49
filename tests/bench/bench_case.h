#pragma once
// What every benchmark case starts with: the shipped arch and model it names, loaded once; a case whose
// files do not load is marked skipped with the reason instead of timing nothing.

#include <benchmark/benchmark.h>

#include <exception>
#include <string>

#include "arch/arch_parser.h"
#include "arch/config/overrides.h"
#include "workloads/model_parser.h"

namespace catsim {

inline constexpr double kBenchChildTimeoutS = 120;           // a case far slower than this is broken, not slow
inline constexpr double kBenchRssLimitMib = 500e6 / (1 << 20);  // 500 MB, the memory goal, in MiB

inline bool load_shipped_case(benchmark::State& state, const std::string& arch_name, const std::string& model_name,
                              ArchSpec& arch, ModelSpec& model) {
  try {
    arch = load_arch(shipped_config("arch", arch_name));
    model = load_model(shipped_config("models", model_name));
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return false;
  }
  return true;
}

}  // namespace catsim
