// Exact cycle counts of the SystemC engine on hand-built programs: DMA time = latency + bytes / bandwidth
// share (see sim/memory/memory_system.h), closed-form compute, overlap through dependencies, DRAM channels
// shared burst by burst between cores, the scratchpad port shared by load and store, and the window of
// outstanding requests. Each TEST runs in its own process (SystemC elaborates once per process).
// small_arch_yaml: 1000 MHz, DRAM 16 B/cycle on 1 channel, latency 10 cycles, scratchpad port 64 B/cycle;
// defaults burst 64 B and 64 requests in flight: window rate c = 64 x 64 / (10 + 64/16) = 292 B/cycle,
// above the bandwidth, so the window never binds unless a test narrows it.

#include <gtest/gtest.h>

#include "sim/engine/accelerator.h"
#include "tests/support/arch_text.h"
#include "tests/support/commands.h"

namespace catsim {
namespace {

using test::compute;
using test::dma;

TEST(EngineTiming, LoadComputeStoreInSeries) {
  ArchSpec arch = test::arch_from_text("series", test::small_arch_yaml());
  Program p;
  CommandId ld = p.add(dma(0, 1024, false));
  CommandId cp = p.add(compute(0, 100, {ld}));
  p.add(dma(0, 512, true, {cp}));
  EngineResult r = simulate(arch, p);
  // load 1024 B / 16 B per cycle = 64 + 10 latency = 74; compute 100 -> 174; store 512/16 = 32 + 10 -> 216
  EXPECT_EQ(r.times.end[ld], 74u);
  EXPECT_EQ(r.times.end[cp], 174u);
  EXPECT_EQ(r.cycles, 216u);
  EXPECT_EQ(r.dram_read_bytes, 1024u);
  EXPECT_EQ(r.dram_write_bytes, 512u);
}

TEST(EngineTiming, DoubleBufferingHidesTheSecondLoad) {
  ArchSpec arch = test::arch_from_text("overlap", test::small_arch_yaml());
  Program p;
  CommandId l0 = p.add(dma(0, 1024, false));
  CommandId l1 = p.add(dma(0, 1024, false));
  CommandId c0 = p.add(compute(0, 100, {l0}));
  CommandId s0 = p.add(dma(0, 512, true, {c0}));
  CommandId c1 = p.add(compute(0, 100, {l1}));
  CommandId s1 = p.add(dma(0, 512, true, {c1}));
  EngineResult r = simulate(arch, p);
  // l1 issues at 0 behind l0 (no dependencies): its latency overlaps l0's data, which ends at 10 + 64 = 74;
  // l1's data follows at once: 74 + 1024 / 16 = 138 (one transfer at a time would give 74 + 74 = 148)
  EXPECT_EQ(r.times.end[l1], 138u);
  EXPECT_EQ(r.times.end[c0], 174u);    // 74 + 100
  EXPECT_EQ(r.times.start[c1], 174u);  // l1 done at 138, the array is busy until 174
  EXPECT_EQ(r.times.end[s0], 216u);    // issues when c0 ends (the latency is paid again): 174 + 10 + 512/16
  EXPECT_EQ(r.times.end[c1], 274u);    // 174 + 100
  EXPECT_EQ(r.times.end[s1], 316u);    // 274 + 42; in series it would be 2 * 216 = 432
  EXPECT_EQ(r.cycles, 316u);
}

TEST(EngineTiming, CoresInterleaveOnOneChannel) {
  ArchSpec arch = test::arch_from_text("contend", test::small_arch_yaml("cores: 2\n"));
  Program p;
  p.cores = 2;
  CommandId a = p.add(dma(0, 1024, false));
  CommandId b = p.add(dma(1, 1024, false));
  EngineResult r = simulate(arch, p);
  // both data streams start at 10; the channel alternates their bursts: 8 B/cycle each, 1024 / 8 = 128
  // cycles -> both end at 138 (alone: 10 + 64 = 74; first come first served would give 74 and 138)
  EXPECT_EQ(r.times.end[a], 138u);
  EXPECT_EQ(r.times.end[b], 138u);
  EXPECT_EQ(r.cycles, 138u);
}

TEST(EngineTiming, LaterTransferSharesTheChannel) {
  ArchSpec arch = test::arch_from_text("later", test::small_arch_yaml("cores: 2\n"));
  Program p;
  p.cores = 2;
  CommandId a = p.add(dma(0, 1024, false));
  CommandId w = p.add(compute(1, 32, {}));
  CommandId b = p.add(dma(1, 256, false, {w}));
  EngineResult r = simulate(arch, p);
  // a alone from 10 to 42: 32 x 16 = 512 B. b issues at 32, its data flows from 42 at 8 B/cycle beside a:
  // 256 / 8 = 32 -> b ends at 74, a has 512 - 256 = 256 B left, alone again: 256 / 16 = 16 -> 90
  EXPECT_EQ(r.times.end[b], 74u);
  EXPECT_EQ(r.times.end[a], 90u);
}

TEST(EngineTiming, ChannelsInterleaveATransfer) {
  ArchSpec arch = test::arch_from_text("channels", test::small_arch_yaml(), {"arch.dram.channels=4"});
  Program p;
  CommandId a = p.add(dma(0, 1024, false));
  EngineResult r = simulate(arch, p);
  // 16 bursts of 64 B over 4 channels of 4 B/cycle: 256 B each, 64 cycles in parallel, + 10 latency
  EXPECT_EQ(r.times.end[a], 74u);
}

TEST(EngineTiming, ShortTransfersTakeTheNextChannels) {
  ArchSpec arch = test::arch_from_text("short", test::small_arch_yaml("cores: 2\n"), {"arch.dram.channels=4"});
  Program p;
  p.cores = 2;
  CommandId a = p.add(dma(0, 128, false));
  CommandId b = p.add(dma(1, 128, false));
  EngineResult r = simulate(arch, p);
  // 2 bursts each: the first transfer takes channels 0 and 1, the next one 2 and 3, so neither waits:
  // 10 latency + 64 B / 4 B per cycle = 26 (on the same two channels both would end at 10 + 32 = 42)
  EXPECT_EQ(r.times.end[a], 26u);
  EXPECT_EQ(r.times.end[b], 26u);
}

TEST(EngineTiming, ScratchpadPortLimitsFastDram) {
  ArchSpec arch = test::arch_from_text("port", test::small_arch_yaml(), {"arch.dram.bandwidth_gbps=1000",
                                                                        "arch.sram.bytes_per_cycle=8"});
  Program p;
  CommandId a = p.add(dma(0, 1024, false));
  EngineResult r = simulate(arch, p);
  // data flows after the 10-cycle latency at the port's 8 B/cycle (DRAM could give 1000): 10 + 1024 / 8 = 138
  EXPECT_EQ(r.times.end[a], 138u);
}

TEST(EngineTiming, LoadAndStoreShareThePort) {
  ArchSpec arch = test::arch_from_text("share", test::small_arch_yaml(), {"arch.dram.bandwidth_gbps=1000",
                                                                         "arch.sram.bytes_per_cycle=8"});
  Program p;
  CommandId ld = p.add(dma(0, 1024, false));
  CommandId st = p.add(dma(0, 1024, true));
  EngineResult r = simulate(arch, p);
  // both flow from 10 through the one 8 B/cycle port, 4 B/cycle each: 10 + 1024 / 4 = 266
  // (each with the full port, as before, both would end at 10 + 128 = 138)
  EXPECT_EQ(r.times.end[ld], 266u);
  EXPECT_EQ(r.times.end[st], 266u);
}

TEST(EngineTiming, PortsOfTwoCoresAreSeparate) {
  ArchSpec arch = test::arch_from_text("ports", test::small_arch_yaml("cores: 2\n"),
                                       {"arch.dram.bandwidth_gbps=1000", "arch.sram.bytes_per_cycle=8"});
  Program p;
  p.cores = 2;
  CommandId a = p.add(dma(0, 1024, false));
  CommandId b = p.add(dma(1, 1024, true));
  EngineResult r = simulate(arch, p);
  // each core's own 8 B/cycle port: 10 + 1024 / 8 = 138 for both (DRAM carries 16 of its 1000 B/cycle)
  EXPECT_EQ(r.times.end[a], 138u);
  EXPECT_EQ(r.times.end[b], 138u);
}

// Window of outstanding requests, with latency 12 so that a request's round trip is 12 + 64/16 = 16 cycles.
TEST(EngineTiming, OneOutstandingRequestPaysLatencyPerRequest) {
  ArchSpec arch = test::arch_from_text("w1", test::small_arch_yaml(), {"arch.dram.latency_ns=12", "arch.dma.outstanding=1"});
  Program p;
  CommandId a = p.add(dma(0, 1024, false));
  EngineResult r = simulate(arch, p);
  // c = 1 x 64 / 16 = 4 B/cycle: 16 requests one after another, 16 x (12 + 4) = 256 = max(12 + 64, 1024 / 4)
  EXPECT_EQ(r.times.end[a], 256u);
}

TEST(EngineTiming, LatencyPaidOncePerWindowOfRequests) {
  ArchSpec arch = test::arch_from_text("w2", test::small_arch_yaml(), {"arch.dram.latency_ns=12", "arch.dma.outstanding=2"});
  Program p;
  CommandId a = p.add(dma(0, 1024, false));
  EngineResult r = simulate(arch, p);
  // c = 2 x 64 / 16 = 8 B/cycle: 8 windows of 2 requests, each paying 12 latency + 4: 8 x 16 = 128
  // (fluid: 96 B of tokens at 16 B/cycle until 24 (192 B), then 832 B at 8 B/cycle: 24 + 104 = 128)
  EXPECT_EQ(r.times.end[a], 128u);
}

TEST(EngineTiming, WindowCoveringTheLatencyPaysItOnce) {
  ArchSpec arch = test::arch_from_text("w4", test::small_arch_yaml(), {"arch.dram.latency_ns=12", "arch.dma.outstanding=4"});
  Program p;
  CommandId a = p.add(dma(0, 1024, false));
  CommandId b = p.add(dma(0, 1024, false));
  EngineResult r = simulate(arch, p);
  // c = 4 x 64 / 16 = 16 B/cycle = the bandwidth: a = 12 + 1024 / 16 = 76; b issued behind a, its data
  // follows at once: 76 + 64 = 140 (latency paid once for both)
  EXPECT_EQ(r.times.end[a], 76u);
  EXPECT_EQ(r.times.end[b], 140u);
}

TEST(EngineTiming, GlobalBufferAndDramShareThePort) {
  ArchSpec arch = test::arch_from_text("global", test::small_arch_yaml(),
                                       {"arch.sram.global_kib=64", "arch.sram.global_bytes_per_cycle=32",
                                        "arch.sram.bytes_per_cycle=16"});
  Program p;
  Command g = dma(0, 1024, false);
  g.memory = MemoryTarget::global_buffer;
  CommandId a = p.add(g);
  CommandId b = p.add(dma(0, 512, true));
  EngineResult r = simulate(arch, p);
  // a (global buffer, latency 1, 32 B/cycle) flows from 1 at the port's 16 B/cycle: 9 x 16 = 144 B by 10.
  // b (DRAM store, latency 10) joins at 10: 8 B/cycle each through the port; b: 10 + 512 / 8 = 74.
  // a: 144 + 64 x 8 = 656 B by 74, then alone: 368 / 16 = 23 -> 97
  EXPECT_EQ(r.times.end[b], 74u);
  EXPECT_EQ(r.times.end[a], 97u);
  EXPECT_EQ(r.global_read_bytes, 1024u);
  EXPECT_EQ(r.dram_write_bytes, 512u);
}

TEST(EngineTiming, IdealDramNeverStalls) {
  ArchSpec arch = test::arch_from_text("ideal", test::small_arch_yaml(), {"arch.dram.model=ideal"});
  Program p;
  CommandId ld = p.add(dma(0, 1 << 20, false));
  p.add(compute(0, 100, {ld}));
  EngineResult r = simulate(arch, p);
  EXPECT_EQ(r.times.end[ld], 0u);
  EXPECT_EQ(r.cycles, 100u);
}

}  // namespace
}  // namespace catsim
