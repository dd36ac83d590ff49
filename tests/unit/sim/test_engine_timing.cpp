// Exact cycle counts of the SystemC engine on hand-built programs: DMA time = bytes / bandwidth +
// latency, closed-form compute, overlap through dependencies, DRAM contention between cores.
// Each TEST runs in its own process (SystemC elaborates once per process).

#include <gtest/gtest.h>

#include "sim/engine/accelerator.h"
#include "tests/support/arch_text.h"

namespace catsim {
namespace {

Command dma(int core, std::uint64_t bytes, bool store, std::vector<CommandId> deps = {}) {
  Command c;
  c.unit = store ? UnitKind::dma_store : UnitKind::dma_load;
  c.core = core;
  c.dram_bytes = bytes;
  c.deps = std::move(deps);
  return c;
}

Command compute(int core, std::uint64_t cycles, std::vector<CommandId> deps) {
  Command c;
  c.unit = UnitKind::array;
  c.core = core;
  c.cycles = cycles;
  c.deps = std::move(deps);
  return c;
}

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
  EXPECT_EQ(r.times.end[l1], 148u);    // 74 + 74: the DMA engine is free again at 74
  EXPECT_EQ(r.times.end[c0], 174u);    // 74 + 100
  EXPECT_EQ(r.times.start[c1], 174u);  // l1 done at 148, the array is busy until 174
  EXPECT_EQ(r.times.end[s0], 216u);    // starts when c0 ends: 174 + 32 + 10
  EXPECT_EQ(r.times.end[c1], 274u);    // 174 + 100
  EXPECT_EQ(r.times.end[s1], 316u);    // 274 + 42; in series it would be 2 * 216 = 432
  EXPECT_EQ(r.cycles, 316u);
}

TEST(EngineTiming, CoresContendForOneChannel) {
  ArchSpec arch = test::arch_from_text("contend", test::small_arch_yaml("cores: 2\n"));
  Program p;
  p.cores = 2;
  CommandId a = p.add(dma(0, 1024, false));
  CommandId b = p.add(dma(1, 1024, false));
  EngineResult r = simulate(arch, p);
  // both ask at cycle 0: one channel serves 64 cycles each, first come first served, + 10 latency each
  EXPECT_EQ(std::min(r.times.end[a], r.times.end[b]), 74u);
  EXPECT_EQ(std::max(r.times.end[a], r.times.end[b]), 138u);
}

TEST(EngineTiming, ChannelsInterleaveATransfer) {
  ArchSpec arch = test::arch_from_text("channels", test::small_arch_yaml(), {"arch.dram.channels=4"});
  Program p;
  CommandId a = p.add(dma(0, 1024, false));
  EngineResult r = simulate(arch, p);
  // 4 channels of 4 B/cycle each carry 256 B: 64 cycles, in parallel, + 10 latency
  EXPECT_EQ(r.times.end[a], 74u);
}

TEST(EngineTiming, ScratchpadPortLimitsFastDram) {
  ArchSpec arch = test::arch_from_text("port", test::small_arch_yaml(), {"arch.dram.bandwidth_gbps=1000",
                                                                        "arch.sram.bytes_per_cycle=8"});
  Program p;
  CommandId a = p.add(dma(0, 1024, false));
  EngineResult r = simulate(arch, p);
  // DRAM: 1024 / 1000 B per cycle -> 2 cycles + 10 latency = 12; the port: 1024 / 8 = 128 cycles
  EXPECT_EQ(r.times.end[a], 128u);
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
