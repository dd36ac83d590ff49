// libFuzzer target: a SCALE-Sim v2 `.cfg` and topology CSV (the input's bytes before and after its first
// NUL) through the readers `catsim scalesim` uses, the arch.yaml the configuration stands for through the
// arch parser and energy validation, and every GEMM of the topology checked for positive dimensions.

#include <string>

#include "api/scalesim_config.h"
#include "arch/arch_parser.h"
#include "carbon/report.h"
#include "tests/fuzz/fuzz_support.h"
#include "workloads/scalesim_topology.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace catsim;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  const std::string cfg = input.substr(0, nul);
  const std::string topology = nul == std::string::npos ? std::string() : input.substr(nul + 1);
  fuzz::expect_clean([&] {
    const ScaleSimConfig c = parse_scalesim_config(cfg, "fuzz.cfg");
    const std::string arch = scalesim_arch_yaml(c);
    ArchSpec a = load_arch(fuzz::scratch_file("_scalesim_arch.yaml", reinterpret_cast<const std::uint8_t*>(arch.data()),
                                              arch.size()));
    validate_energy_inputs(a);
  });
  fuzz::expect_clean([&] {
    for (const GemmSpec& g : parse_scalesim_topology(topology, "fuzz.csv"))
      if (g.m <= 0 || g.n <= 0 || g.k <= 0) fuzz::finding("GEMM " + g.name + " has a non-positive dimension");
  });
  return 0;
}
