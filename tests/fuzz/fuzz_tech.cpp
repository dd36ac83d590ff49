// libFuzzer target: the data files users may edit (configs/tech/*.yaml, configs/regions.yaml). The input's
// first byte picks the file, the rest replaces it in a scratch copy of the shipped data; the tables load as a
// run loads them and are read at the arch's node: every value a run would use must be finite and >= 0, and
// each bank-level DRAM part times and prices a short mixed stream.

#include <filesystem>
#include <fstream>
#include <string>

#include "arch/arch_parser.h"
#include "arch/config/overrides.h"
#include "carbon/carbon_data.h"
#include "carbon/tech/dram_devices.h"
#include "carbon/tech/tech_table.h"
#include "sim/memory/dram/dram_controller.h"
#include "sim/memory/dram/dram_power.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

constexpr const char* kFiles[] = {"tech/node_scaling.yaml", "tech/logic.yaml", "tech/sram_cacti7.yaml",
                                  "tech/dram.yaml", "tech/act.yaml", "regions.yaml", "tech/dram_devices.yaml"};

// A per-process copy of the shipped data directory, made once.
std::string scratch_data_dir() {
  namespace fs = std::filesystem;
  static const std::string dir = [] {
    const fs::path d = "/tmp/catsim_fuzz_tech_" + std::to_string(::getpid());
    fs::create_directories(d / "tech");
    for (const char* f : kFiles)
      fs::copy_file(fs::path(catsim::data_dir()) / f, d / f, fs::copy_options::overwrite_existing);
    return d.string();
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace catsim;
  if (size == 0) return 0;
  static const ArchSpec arch = load_arch(shipped_config("arch", "edge_npu"));
  const std::string dir = scratch_data_dir();
  const char* file = kFiles[data[0] % std::size(kFiles)];
  const std::string path = dir + "/" + file;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
  }
  fuzz::expect_clean([&] {
    const auto tech = TechData::load(dir + "/tech");
    (void)CarbonData::load(dir);
    const TechTable t = TechTable::for_arch(arch, tech);
    for (const auto& [name, v] : t.values()) fuzz::require_finite(v, name.c_str());
    const SramCost s = t.sram(512.0 * 1024, 64);
    fuzz::require_finite(s.read_pj_per_byte, "sram read pJ/byte");
    fuzz::require_finite(s.write_pj_per_byte, "sram write pJ/byte");
    fuzz::require_finite(s.area_mm2, "sram area");
    fuzz::require_finite(s.leak_w, "sram leakage");
    fuzz::require_finite(t.dram_pj_per_bit(arch.dram.type), "dram pJ/bit");
    // The bank-level parts: a short stream on each, timed and priced.
    const auto parts = DramDevices::load(dir + "/tech/dram_devices.yaml");  // held: the loop reads into it
    for (const auto& [name, part] : parts->devices()) {
      DramController c(part, {});
      for (std::uint64_t i = 0; i < 64; ++i) c.enqueue({i * 4096 * part.org.burst_bytes(), i % 3 == 0, i});
      c.drain();
      const DramStats st = c.stats();
      if (st.end < st.reads) fuzz::finding("dram: the last burst ended before the reads could");
      if (!part.rails.empty()) fuzz::require_finite(dram_energy(part, st, st.end).total(), "dram energy");
    }
  });
  // Put the shipped file back for the next input.
  std::filesystem::copy_file(std::filesystem::path(data_dir()) / file, path,
                             std::filesystem::copy_options::overwrite_existing);
  return 0;
}
