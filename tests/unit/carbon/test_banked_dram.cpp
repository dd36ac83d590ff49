// dram.model banked in a run: the fluid memory model serves DMA transfers at a channel's peak times the share
// the part's bank-level controller sustains for the mix in flight, counts that mix's activations, and the
// energy model prices the part's commands from its datasheet currents (the DRAMPower arithmetic written out).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "arch/arch_parser.h"
#include "carbon/energy/energy_model.h"
#include "carbon/tech/dram_devices.h"
#include "carbon/tech/tech_data.h"
#include "carbon/tech/tech_table.h"
#include "sim/memory/dram/dram_controller.h"
#include "sim/memory/dram/stream_profile.h"
#include "sim/memory/fluid_flows.h"
#include "sim/memory/memory_channels.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"
#include "tests/support/run_json.h"

namespace catsim {
namespace {

namespace fs = std::filesystem;

// edge_npu with one banked channel of `type`, no latency and a window that never binds: a transfer's time is
// its bytes over the channel's rate alone.
ArchSpec banked_arch(const std::string& type) {
  ArchSpec a = load_arch(test::arch_config("edge_npu.yaml"),
                         {{"arch", "dram.model", "banked"}, {"arch", "dram.type", type}, {"arch", "dram.channels", "1"},
                          {"arch", "dram.latency_ns", "0"}, {"arch", "dma.outstanding", "65536"}});
  resolve_dram_part(a);
  return a;
}

// The JSON of `arch` running the 128x768x768 GEMM under banked DRAM with `sets` (empty, and a test failure, when
// the run fails).
nlohmann::json banked_gemm(const std::string& arch, const std::string& sets = "") {
  return test::run_json(test::arch_config(arch + ".yaml") + " " + test::model_config("gemm-bert-proj.yaml") +
                        " --set arch.dram.model=banked" + sets);
}

// The cycle at which `flows` next changes, starting transfers of `bytes` from requesters that read (false) or
// write (true) at cycle 0.
std::uint64_t end_of(FluidFlows& flows, MemoryChannels& dram, std::uint64_t bytes, std::initializer_list<bool> writes) {
  int tag = 0;
  for (bool write : writes) flows.start(0, flows.add_requester(0), dram, bytes, write, tag++);
  return flows.next_change().value();
}

TEST(BankedDram, TransfersRunAtTheSharePartsSustainForTheirMix) {
  for (const char* type : {"ddr3", "ddr4", "lpddr4", "hbm2"}) {
    const ArchSpec arch = banked_arch(type);
    ASSERT_TRUE(arch.dram.part) << type;
    DramStreamProfile profile(*arch.dram.part, *arch.dram.mixes);
    const double peak = arch.dram_bytes_per_cycle();  // one channel
    const std::uint64_t bytes = 1 << 20;
    struct Case {
      std::initializer_list<bool> writes;
      int reads, written;
    };
    for (const Case& c : {Case{{false}, 1, 0}, Case{{false, false}, 2, 0}, Case{{false, true}, 1, 1},
                          Case{{true, true, true}, 0, 3}}) {
      MemoryChannels dram(dram_params(arch));
      FluidFlows flows(arch, 1, dram, nullptr);
      const std::uint64_t end = end_of(flows, dram, bytes, c.writes);
      const StreamMix& mix = profile.mix(c.reads, c.written);
      // Every transfer gets an equal share of peak x efficiency, so all end together: n x bytes at that rate,
      // rounded up to a whole cycle.
      const double n = static_cast<double>(c.writes.size());
      EXPECT_EQ(end, static_cast<std::uint64_t>(std::ceil(n * bytes / (peak * mix.efficiency) - 1e-9)))
          << type << " " << c.reads << "r" << c.written << "w";
      flows.update(end);
      // Activations: a row opened by each transfer on its one channel, then the bursts served times the mix's
      // activations per burst.
      const double bursts = n * bytes / static_cast<double>(arch.dram.part->org.burst_bytes());
      EXPECT_NEAR(flows.dram_activates(), n + bursts * mix.activates_per_burst, 1e-6 * bursts) << type;
      // A row is open for the mix's open share of the time the transfers flow, and (open page) after them.
      EXPECT_NEAR(flows.dram_open_cycles(end), static_cast<double>(end) * mix.open_share, 1e-9 * end) << type;
      EXPECT_NEAR(flows.dram_open_cycles(end + 100), static_cast<double>(end) * mix.open_share + 100, 1e-9 * end) << type;
    }
  }
}

TEST(BankedDram, AMeasuredMixMatchesALongRunOfTheController) {
  const auto parts = DramDevices::load(test::source_path("configs/tech/dram_devices.yaml"));
  for (const auto& [name, part] : parts->devices()) {
    DramMixTable table;
    DramStreamProfile profile(part, table);
    // One stream, measured over 4,096 bursts with the refreshes inside taken out and tRFC / tREFI put back,
    // against 65,536 bursts of one sequential stream on the controller (many refresh intervals, counted as
    // they fall): the same share of peak within half a point.
    DramController long_run(part, {});
    const std::uint64_t bursts = 65536;
    for (std::uint64_t i = 0; i < bursts; ++i) long_run.enqueue({i * part.org.burst_bytes(), false, 0});
    long_run.drain();
    const double first = part.timing.rcd + part.timing.cl;
    const double measured = static_cast<double>(bursts) * part.org.burst_cycles() /
                            (static_cast<double>(long_run.stats().end) - first);
    EXPECT_NEAR(profile.mix(1, 0).efficiency, measured, 0.005) << name;
    // A sequential stream opens at least one row per row's worth of bursts.
    const double bursts_per_row = static_cast<double>(part.org.row_bytes()) / part.org.burst_bytes();
    EXPECT_GE(profile.mix(1, 0).activates_per_burst, 1 / bursts_per_row - 1e-12) << name;
    // Mixes beyond the measured streams take the last measured one; no stream is the bus at its peak.
    EXPECT_EQ(&profile.mix(9, 0), &profile.mix(DramStreamProfile::kMaxStreams, 0)) << name;
    EXPECT_EQ(profile.mix(0, 0).efficiency, 1.0) << name;
  }
}

TEST(BankedDram, EnergyPricesAreTheDramPowerArithmeticOfThePartsCurrents) {
  const ArchSpec arch = banked_arch("lpddr4");  // lpddr4-3200: x16, BL16, tCK 0.625 ns, VDD1 1.8 V, VDD2 1.1 V
  ASSERT_TRUE(dram_energy_from_currents(arch));
  const TechTable tech = TechTable::for_arch(arch);
  const EventPrices p = event_prices(arch, tech, compute_area(arch, tech));
  const double tck = 0.625e-9;
  // A read burst: (IDD4R - IDD3N) x V per rail for BL/2 = 8 clocks, over its 32 bytes; VDD1's IDD4R equals IDD3N.
  EXPECT_NEAR(p.dram_read_j, (0.275 - 0.030) * 1.1 * 8 * tck / 32, 1e-18);
  EXPECT_NEAR(p.dram_write_j, (0.210 - 0.030) * 1.1 * 8 * tck / 32, 1e-18);
  // ACT: (IDD0 - IDD3N) x tRAS (68); its PRE: (IDD0 - IDD2N) x (tRC - tRAS) (29); per rail.
  const double act = (0.0035 - 0.00225) * 1.8 * 68 + (0.045 - 0.030) * 1.1 * 68 +  //
                     (0.0035 - 0.002) * 1.8 * 29 + (0.045 - 0.027) * 1.1 * 29;
  EXPECT_NEAR(p.dram_activate_j, act * tck, 1e-18);
  // A refresh: (IDD5B - IDD3N) x tRFC (448 clocks).
  EXPECT_NEAR(p.dram_refresh_j, ((0.010 - 0.00225) * 1.8 + (0.090 - 0.030) * 1.1) * 448 * tck, 1e-18);
  // Standby: IDD2N on both rails, and IDD3N - IDD2N more while a row is open, for each of the parts side by side:
  // 12.8 GB/s over a part's 32 B per 8 x 0.625 ns (6.4 GB/s) is 2.
  EXPECT_NEAR(p.dram_standby_w, 2 * (0.002 * 1.8 + 0.027 * 1.1), 1e-12);
  EXPECT_NEAR(p.dram_open_extra_w, 2 * ((0.00225 - 0.002) * 1.8 + (0.030 - 0.027) * 1.1), 1e-12);
}

TEST(BankedDram, ARunReportsItsPartRefreshesAndCommandEnergies) {
  const nlohmann::json d = banked_gemm("edge_npu");
  ASSERT_FALSE(d.empty());
  const nlohmann::json& dram = d["dram"];
  EXPECT_EQ(dram["model"], "banked");
  EXPECT_EQ(dram["part"], "lpddr4-3200");
  const double seconds = d["latency_s"].get<double>();
  // Each of the 2 parts side by side refreshes once per tREFI = 6246 x 0.625 ns: the expected count, rounded.
  EXPECT_EQ(dram["refreshes"].get<std::uint64_t>(), static_cast<std::uint64_t>(std::llround(2 * seconds / (6246 * 0.625e-9))));
  const nlohmann::json& e = d["energy_breakdown_j"];
  // Standby: IDD2N over the run, IDD3N - IDD2N more over the cycles a row was open (open page: nearly all).
  const double open_s = d["stats"]["dram_open_cycles"]["value"].get<double>() / (d["clock_mhz"].get<double>() * 1e6);
  EXPECT_GT(open_s, 0.9 * seconds);
  EXPECT_LE(open_s, seconds);
  EXPECT_NEAR(e["dram.standby"].get<double>(),
              2 * (0.002 * 1.8 + 0.027 * 1.1) * seconds + 2 * ((0.00225 - 0.002) * 1.8 + (0.030 - 0.027) * 1.1) * open_s,
              1e-9 * seconds);
  const double read_bytes = d["stats"]["dram_read_bytes"]["value"].get<double>();
  EXPECT_NEAR(e["dram.read"].get<double>(), read_bytes * (0.275 - 0.030) * 1.1 * 8 * 0.625e-9 / 32, 1e-15);
  EXPECT_GT(e["dram.activate"].get<double>(), 0);
  EXPECT_NE(dram["energy_from"].get<std::string>().find("datasheet currents"), std::string::npos);
  const double hits = dram["row_hit_rate"].get<double>();
  EXPECT_GT(hits, 0.9);
  EXPECT_LE(hits, 1.0);
}

TEST(BankedDram, ClosedPageKeepsRowsOpenLessAndMappingIsAChoice) {
  const nlohmann::json open = banked_gemm("edge_npu"), closed = banked_gemm("edge_npu", " --set arch.dram.page_policy=closed");
  ASSERT_FALSE(open.empty());
  ASSERT_FALSE(closed.empty());
  EXPECT_EQ(closed["resolved"]["arch"]["dram"]["page_policy"], "closed");
  // Closed page precharges a row once no queued request hits it: rows are open less of the time, so standby costs
  // less, and idle time between transfers costs IDD2N only.
  EXPECT_LT(closed["dram"]["open_share"].get<double>(), open["dram"]["open_share"].get<double>());
  EXPECT_LT(closed["energy_breakdown_j"]["dram.standby"].get<double>() / closed["latency_s"].get<double>(),
            open["energy_breakdown_j"]["dram.standby"].get<double>() / open["latency_s"].get<double>());
  for (const char* mapping : {"RoCoBaBgCh", "RoBgBaCoCh"}) {
    const nlohmann::json m = banked_gemm("edge_npu", std::string(" --set arch.dram.mapping=") + mapping);
    ASSERT_FALSE(m.empty()) << mapping;
    EXPECT_EQ(m["resolved"]["arch"]["dram"]["mapping"], mapping);
  }
  const test::RunResult bad = test::run_catsim(test::arch_config("edge_npu.yaml") + " " +
                                               test::model_config("gemm-bert-proj.yaml") + " --set arch.dram.mapping=RoRo");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("dram.mapping"), std::string::npos) << bad.err;
}

TEST(BankedDram, APartWithoutCurrentsKeepsTheEnergyPerBitAndSaysSo) {
  const nlohmann::json d = banked_gemm("datacenter");
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d["dram"]["part"], "hbm2");  // hbm2e stands on the hbm2 part's timings
  EXPECT_NE(d["dram"]["energy_from"].get<std::string>().find("energy per bit"), std::string::npos);
  EXPECT_FALSE(d["energy_breakdown_j"].contains("dram.standby"));
}

TEST(BankedDram, ATypeWithoutAPartIsOneLineNamingTheKey) {
  // Every shipped type has a part: a data directory whose parts table leaves lpddr5 out stands for a type
  // without one.
  const fs::path data = test::scratch_dir() / "data_without_lpddr5";
  fs::remove_all(data);
  fs::copy(test::source_path("configs"), data, fs::copy_options::recursive);
  const std::string table = test::slurp((data / "tech" / "dram_devices.yaml").string());
  const std::string mapping = "  lpddr5: lpddr5-6400\n";
  ASSERT_NE(table.find(mapping), std::string::npos);
  std::string without = table;
  without.erase(without.find(mapping), mapping.size());
  test::write_file((data / "tech" / "dram_devices.yaml").string(), without);
  ASSERT_EQ(::setenv("CATSIM_DATA_DIR", data.c_str(), 1), 0);
  const test::RunResult r = test::run_catsim(test::arch_config("edge_npu.yaml") + " " +
                                             test::model_config("gemm-bert-proj.yaml") +
                                             " --set arch.dram.type=lpddr5 --set arch.dram.model=banked");
  ::unsetenv("CATSIM_DATA_DIR");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("dram.model: banked needs a bank-level part for dram.type 'lpddr5'"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
}  // namespace catsim
