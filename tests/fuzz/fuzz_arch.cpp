// libFuzzer target: arch.yaml text through the arch parser and the energy/area/carbon validation,
// as `catsim info ARCH` runs them.

#include "arch/arch_parser.h"
#include "carbon/report.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace catsim;
  const std::string file = fuzz::scratch_file(".yaml", data, size);
  fuzz::expect_clean([&] {
    ArchSpec a = load_arch(file);
    validate_energy_inputs(a);
    fuzz::require_finite(a.peak_tops(a.systolic.macs_per_pe_per_cycle.begin()->first), "peak_tops");
    fuzz::require_finite(a.dram_bytes_per_cycle(), "dram_bytes_per_cycle");
  });
  return 0;
}
