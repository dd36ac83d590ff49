#include <string>

#include "arch/config/error.h"
#include "arch/io/install_paths.h"
#include "sim/engine/engine_entry.h"
#include "sim/engine/heap_warmup.h"

// Defined when the program links the engine (catsim-search, the tests, the benchmarks); null in catsim,
// which loads the module instead, so that commands that never simulate do not load SystemC.
extern "C" void catsim_engine_run(const catsim::ArchSpec&, const catsim::Program&, catsim::EngineResult&)
    __attribute__((weak));

namespace catsim {
namespace {

using EngineRun = void (*)(const ArchSpec&, const Program&, EngineResult&);

// The table libsystemc's static initialiser zeroes when the module loads (SystemC 2.3.4).
constexpr std::size_t kSystemcStaticTable = std::size_t{3} << 20;

EngineRun load_module() {
  warm_heap(kSystemcStaticTable);
  return reinterpret_cast<EngineRun>(installed_module_entry("libcatsim_engine.so", "catsim_engine_run", "engine module"));
}

EngineRun engine() {
  static const EngineRun run = catsim_engine_run ? &catsim_engine_run : load_module();
  return run;
}

}  // namespace

void preload_engine() {
  try {
    engine();
  } catch (const ConfigError&) {
    // No module: each simulate() in a child reports it as the run's error.
  }
}

EngineResult simulate(const ArchSpec& arch, const Program& program) {
  EngineResult r;
  engine()(arch, program, r);
  return r;
}

}  // namespace catsim
