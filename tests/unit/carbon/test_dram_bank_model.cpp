// The bank-level DRAM model on the shipped parts (configs/tech/dram_devices.yaml): command timing against the
// JEDEC arithmetic written beside each assertion, sequential and random throughput against what the timings
// allow, and energy by the DRAMPower method from the parts' currents.

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "carbon/tech/dram_devices.h"
#include "sim/memory/dram/dram_controller.h"
#include "sim/memory/dram/dram_power.h"
#include "tests/support/paths.h"

namespace catsim {
namespace {

const DramDevices& parts() {
  static const auto d = DramDevices::load(test::source_path("configs/tech/dram_devices.yaml"));
  return *d;
}
const DramDevice& part(const std::string& name) { return parts().devices().at(name); }

// The completion clock of one request served alone (after `before`, served first).
std::uint64_t serve(const DramDevice& d, std::vector<DramRequest> requests, DramStats* stats = nullptr) {
  DramController c(d, {});
  for (const DramRequest& r : requests) c.enqueue(r);
  c.drain();
  if (stats) *stats = c.stats();
  return c.completion(requests.size() - 1);
}

TEST(DramBankModel, ARowMissReadTakesRcdThenClThenItsBurst) {
  for (const auto& [name, d] : parts().devices()) {
    const auto& t = d.timing;
    // ACT at clock 0, RD at tRCD, data from tRCD + CL for a burst: DDR4-2400 16 + 16 + 4 = 36.
    EXPECT_EQ(serve(d, {{0, false, 0}}), static_cast<std::uint64_t>(t.rcd + t.cl + d.org.burst_cycles())) << name;
  }
  EXPECT_EQ(serve(part("ddr4-2400"), {{0, false, 0}}), 36u);
  EXPECT_EQ(serve(part("lpddr4-3200"), {{0, false, 0}}), 29u + 28 + 8);  // BL16 at two beats per clock
}

TEST(DramBankModel, ARowHitTakesClThenItsBurst) {
  for (const auto& [name, d] : parts().devices()) {
    // The first read opens the row; the second, to the next column of the same row, arrives at clock 1000
    // when the bus is idle: CL + burst after it arrives.
    const std::uint64_t next_column = d.org.burst_bytes() * static_cast<std::uint64_t>(d.org.bank_groups);
    DramStats s;
    const std::uint64_t done = serve(d, {{0, false, 0}, {next_column, false, 1000}}, &s);
    EXPECT_EQ(done, 1000u + static_cast<std::uint64_t>(d.timing.cl + d.org.burst_cycles())) << name;
    EXPECT_EQ(s.activates, 1u) << name;
    EXPECT_EQ(s.row_hits, 1u) << name;
    EXPECT_EQ(s.row_misses, 1u) << name;
  }
}

TEST(DramBankModel, ActivatesRespectRrdAndTheFourActivateWindow) {
  const DramDevice& d = part("ddr4-2400");
  // Five reads to five banks, arriving together. Under RoBaCoBgCh bursts 0-3 go to groups 0-3 (bank 0 of
  // each: banks 0, 4, 8, 12); burst 512 is bank 1, in group 0. ACTs at 0, 4, 8, 12 (tRRD_S = 4); the fifth waits for tFAW after the
  // first: 0 + 26. Each read completes tRCD + CL + burst = 36 after its ACT: 36, 40, 44, 48 and 62.
  DramController c(d, {});
  for (std::uint64_t burst : {0, 1, 2, 3, 512}) c.enqueue({burst * 64, false, 0});
  c.drain();
  const std::uint64_t expected[] = {36, 40, 44, 48, 62};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(c.completion(i), expected[i]) << i;
  EXPECT_EQ(decode_address(d, {}, 64).bank, 4);
  EXPECT_EQ(decode_address(d, {}, 512 * 64).bank, 1);
  EXPECT_EQ(decode_address(d, {}, 512 * 64).bank_group, 0);
  // Two banks of the same group: tRRD_L = 6 between their ACTs (bursts 0 and 512: banks 0 and 1, group 0).
  DramController same(d, {});
  same.enqueue({0, false, 0});
  same.enqueue({512 * 64, false, 0});
  same.drain();
  EXPECT_EQ(same.completion(1), 6u + 36);
}

TEST(DramBankModel, RefreshBlocksEveryBankForRfcEveryRefi) {
  const DramDevice& d = part("ddr4-2400");
  const auto refi = static_cast<std::uint64_t>(d.timing.refi), rfc = static_cast<std::uint64_t>(d.timing.rfc);
  DramStats s;
  // A read arriving when a refresh is due waits for it: REF at 4,680, ACT at 4,680 + 313, then 36 more.
  EXPECT_EQ(serve(d, {{0, false, refi}}, &s), refi + rfc + 36);
  EXPECT_EQ(s.refreshes, 1u);
  // Three refresh intervals idle: three refreshes, the read after the third.
  EXPECT_EQ(serve(d, {{0, false, 3 * refi}}, &s), 3 * refi + rfc + 36);
  EXPECT_EQ(s.refreshes, 3u);
  // One arriving before the refresh is due is not delayed by it.
  EXPECT_EQ(serve(d, {{0, false, refi - 100}}, &s), refi - 100 + 36);
  EXPECT_EQ(s.refreshes, 0u);
}

TEST(DramBankModel, AWriteAfterAReadWaitsForTheBusToTurnAround) {
  const DramDevice& d = part("lpddr4-3200");
  // A read (ACT 0, RD 29, data until 29 + 28 + 8 = 65) and a write to the next burst of the same row: tRTW
  // holds the WR until 29 + 30 = 59 (tCCD would allow 37, the bus 65 - CWL 14 = 51), so its data ends
  // 59 + 14 + 8 = 81.
  DramController c(d, {});
  c.enqueue({0, false, 0});
  c.enqueue({d.org.burst_bytes(), true, 0});
  c.drain();
  EXPECT_EQ(c.completion(0), 65u);
  EXPECT_EQ(c.completion(1), 81u);
  EXPECT_EQ(c.stats().turnarounds, 1u);
  EXPECT_EQ(c.stats().row_hits, 1u);
}

TEST(DramBankModel, RefreshesNeverStarveAnOpenRowAndIdleTimeIsCountedNotWalked) {
  // A refresh interval shorter than tRFC + tRCD: the read's row opens before a refresh is due, and its RD
  // postpones that refresh (JEDEC allows up to 8) instead of losing the row to it again and again.
  DramDevice tight = part("ddr4-2400");
  tight.timing = {};
  tight.timing.refi = 10;
  tight.timing.rfc = 5;
  tight.timing.rcd = 6;
  DramStats s;
  const std::uint64_t done = serve(tight, {{0, false, 5}}, &s);
  EXPECT_LT(done, 100u);
  EXPECT_EQ(s.reads, 1u);
  // A read after 10^10 idle clocks on DDR4-2400: every refresh due before it, (10^10 - 4,680) / 4,680 + 1 =
  // 2,136,752, the last at 4,680 x 2,136,752 = 9,999,999,360 and done 313 clocks later, before the read
  // arrives: the read takes its 36 clocks from its arrival.
  const DramDevice& d = part("ddr4-2400");
  const std::uint64_t at = 10'000'000'000ULL, refi = 4680, k = (at - refi) / refi + 1;
  EXPECT_LT(refi * k + 313, at);
  EXPECT_EQ(serve(d, {{0, false, at}}, &s), at + 36);
  EXPECT_EQ(s.refreshes, k);
}

TEST(DramBankModel, ALongSequentialReadReachesNinetyPercentOfPeak) {
  for (const auto& [name, d] : parts().devices()) {
    DramController c(d, {});
    const std::uint64_t bursts = 65536;  // 4 MiB on a 64-byte burst: 14 refresh intervals of DDR4
    for (std::uint64_t i = 0; i < bursts; ++i) c.enqueue({i * d.org.burst_bytes(), false, 0});
    c.drain();
    const DramStats s = c.stats();
    // Peak: one burst per burst_cycles clocks. Refresh alone costs tRFC / tREFI (DDR4: 6.7 %).
    const double efficiency = static_cast<double>(bursts * static_cast<std::uint64_t>(d.org.burst_cycles())) /
                              static_cast<double>(s.end);
    EXPECT_GE(efficiency, 0.90) << name;
    EXPECT_LE(efficiency, 1.0 - 0.9 * d.timing.rfc / static_cast<double>(d.timing.refi)) << name;
    EXPECT_GT(s.refreshes, 0u) << name;
    std::printf("%s: sequential read %.1f %% of peak, %llu ACTs, %llu refreshes\n", name.c_str(), 100 * efficiency,
                static_cast<unsigned long long>(s.activates), static_cast<unsigned long long>(s.refreshes));
  }
}

TEST(DramBankModel, RandomReadsReachWhatTrcAndTfawAllow) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  for (const std::string name :
       {"ddr4-2400", "lpddr4-3200", "ddr3-1600", "ddr4-3200", "ddr5-4800", "hbm2-x128", "hbm3"}) {
    const DramDevice& d = part(name);
    const auto& t = d.timing;
    std::mt19937_64 rng(seed);
    DramController c(d, {});
    const std::uint64_t reads = 20000, span = d.org.row_bytes() * static_cast<std::uint64_t>(d.org.banks()) * 4096;
    for (std::uint64_t i = 0; i < reads; ++i) c.enqueue({rng() % span / 64 * 64, false, 0});
    c.drain();
    const DramStats s = c.stats();
    // Nearly every read opens a row. ACTs are at most 4 per tFAW, 1 per tRRD_S, and each bank one per tRC;
    // the bus carries one burst per burst_cycles: the fewest clocks per read, before refresh, is the largest
    // of tFAW / 4, tRRD_S, tRC / banks, burst_cycles (DDR4-2400: 26 / 4 = 6.5).
    const double bound = std::max({t.faw / 4.0, static_cast<double>(t.rrd_s), t.rc / static_cast<double>(d.org.banks()),
                                   static_cast<double>(d.org.burst_cycles())});
    const double per_read = static_cast<double>(s.end) / reads;
    const double act_share = static_cast<double>(s.activates) / reads;
    EXPECT_GE(per_read, bound * act_share) << name;    // no faster than the timings allow
    EXPECT_LE(per_read, 1.35 * bound) << name;         // and most of what they allow, refresh included
    std::printf("%s: random 64-byte reads %.2f clocks each (bound %.2f), row hits %.1f %%\n", name.c_str(), per_read,
                bound, 100.0 * static_cast<double>(s.row_hits) / reads);
  }
}

TEST(DramBankModel, ClosedPagePrechargesARowNoQueuedRequestHits) {
  const DramDevice& d = part("ddr4-2400");
  DramPolicy closed;
  closed.open_page = false;
  DramController c(d, closed);
  c.enqueue({0, false, 0});
  c.enqueue({0, false, 1000});  // the same row again, later: closed meanwhile, so a miss
  c.drain();
  const DramStats s = c.stats();
  EXPECT_EQ(s.activates, 2u);
  EXPECT_EQ(s.precharges, 2u);  // each access's auto-precharge
  EXPECT_EQ(c.completion(1), 1000u + 36);  // a closed row: tRCD + CL + burst again
  EXPECT_THROW(decode_address(d, {"RoCoCh"}, 0), std::invalid_argument);  // no bank field
  EXPECT_THROW(decode_address(d, {"RoBaBaCo"}, 0), std::invalid_argument);
}

TEST(DramBankModel, WritesDrainInBatchesBetweenTheWatermarks) {
  const DramDevice& d = part("ddr4-2400");
  // A write alone to a closed row: ACT, then WR after tRCD, data from CWL for a burst: 16 + 16 + 4.
  EXPECT_EQ(serve(d, {{0, true, 0}}), 36u);
  // 4,096 reads waiting from the start, and 4,096 writes to another region arriving one every 9 clocks.
  // Drained in batches (from 24 queued writes down to 8) the bus turns around at most twice per batch of 16
  // while reads wait; drained as each write arrives (write_high 1), twice per write that arrives while reads
  // wait, and each write-to-read turn idles the bus for tWTR_S + CL = 19 clocks.
  auto run_with = [&](int high, int low) {
    DramPolicy p;
    p.write_high = high;
    p.write_low = low;
    DramController c(d, p);
    for (std::uint64_t i = 0; i < 4096; ++i) c.enqueue({i * 64, false, 0});
    for (std::uint64_t i = 0; i < 4096; ++i) c.enqueue({(std::uint64_t{1} << 28) + i * 64, true, 9 * i});
    c.drain();
    const DramStats s = c.stats();
    EXPECT_EQ(s.reads, 4096u);
    EXPECT_EQ(s.writes, 4096u);
    return s;
  };
  const DramStats batched = run_with(24, 8), eager = run_with(1, 0);
  EXPECT_LE(batched.turnarounds, 2u * 4096 / 16 + 2);
  EXPECT_GT(eager.turnarounds, 4 * batched.turnarounds);
  EXPECT_LT(batched.end, eager.end);
  std::printf("ddr4-2400: 4,096 reads + 4,096 writes: %llu clocks and %llu turnarounds in batches, %llu and %llu "
              "write by write\n",
              static_cast<unsigned long long>(batched.end), static_cast<unsigned long long>(batched.turnarounds),
              static_cast<unsigned long long>(eager.end), static_cast<unsigned long long>(eager.turnarounds));
}

TEST(DramBankModel, EnergyIsTheDramPowerSumOfCommandsAndStandby) {
  const DramDevice& d = part("ddr4-2400");
  DramStats s;
  serve(d, {{0, false, 0}}, &s);
  // One ACT and one read, the row open from clock 0 to the end (36) and never precharged, over 100 clocks.
  // Per device, joules = V x tCK x (ampere-clocks): vdd 1.2 V: ACT (0.06075 - 0.044) x 39 = 0.65325; read
  // (0.1845 - 0.044) x 4 = 0.562; standby 0.044 x 36 + 0.03825 x 64 = 4.032; vpp 2.5 V: ACT 0.00405 x 39 =
  // 0.15795. x 8 devices x 0.833 ns.
  const DramEnergy e = dram_energy(d, s, 100);
  const double j = 0.833e-9 * 8;
  EXPECT_DOUBLE_EQ(e.activate, j * (1.2 * 0.65325 + 2.5 * 0.15795));
  EXPECT_DOUBLE_EQ(e.read, j * 1.2 * 0.562);
  EXPECT_DOUBLE_EQ(e.background, j * 1.2 * 4.032);
  EXPECT_DOUBLE_EQ(e.refresh, 0.0);
  // Per bit: a long sequential read is cheaper than random reads, which each pay an activation.
  for (const std::string name :
       {"ddr4-2400", "lpddr4-3200", "ddr3-1600", "ddr4-3200", "ddr5-4800", "hbm2-x128"}) {
    const DramDevice& p = part(name);
    auto per_bit_pj = [&](bool random) {
      DramController c(p, {});
      std::mt19937_64 rng(7);
      const std::uint64_t reads = 8192;
      for (std::uint64_t i = 0; i < reads; ++i)
        c.enqueue({random ? rng() % (std::uint64_t{1} << 30) / 64 * 64 : i * p.org.burst_bytes(), false, 0});
      c.drain();
      const DramStats st = c.stats();
      return dram_energy(p, st, st.end).total() / static_cast<double>(reads * p.org.burst_bytes() * 8) * 1e12;
    };
    const double seq = per_bit_pj(false), rnd = per_bit_pj(true);
    EXPECT_LT(seq, rnd) << name;
    EXPECT_GT(seq, 0.0) << name;
    std::printf("%s: %.2f pJ/bit sequential, %.2f pJ/bit random (core and standby; no I/O)\n", name.c_str(), seq, rnd);
  }
  EXPECT_THROW(dram_energy(part("hbm2"), s, 100), std::invalid_argument);  // no currents in the data
}

}  // namespace
}  // namespace catsim
