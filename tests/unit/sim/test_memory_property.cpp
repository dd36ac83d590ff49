// Randomized properties of the memory model over random archs and programs, each run in a forked child
// (SystemC elaborates once per process). Fixed regression seeds run beside a fresh seed, printed on failure.
// (a) A transfer alone (its engine idle long enough to refill its window) takes exactly
//     max(L + B/x, B/c) cycles rounded up to a whole cycle, x = the rate its busiest channel and its port
//     allow, c the window rate.
// (b) Concurrent transfers never beat their bounds: data flows L after the dependencies finish, at most
//     at min(memory bandwidth, port), at most at the window rate beyond its depth; DRAM's service
//     intervals never exceed peak and account for every byte.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

#include "sim/engine/accelerator.h"
#include "sim/run/fork_runner.h"
#include "tests/support/arch_text.h"
#include "tests/support/commands.h"

namespace catsim {
namespace {

std::vector<unsigned> seeds() {
  return {11, 12, 13, std::random_device{}()};
}

struct Memory {
  double bandwidth = 0, latency = 0;  // B/cycle (all channels), cycles
  int channels = 1;
};

struct MemoryDraw {
  ArchSpec arch;
  Memory dram, global;
  bool has_global = false;
};

MemoryDraw draw_arch(std::mt19937& rng, const std::string& name, int cores) {
  auto pick = [&](std::vector<int> v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  MemoryDraw d;
  d.dram.channels = pick({1, 2, 3, 4, 8});
  d.dram.bandwidth = pick({4, 16, 48, 256});   // B/cycle at 1000 MHz = GB/s
  d.dram.latency = pick({0, 1, 10, 37, 120});  // cycles = ns at 1000 MHz
  const int port = pick({8, 24, 64, 512});
  const int outstanding = pick({1, 2, 4, 16, 64});
  const int burst = pick({32, 64, 128});
  d.has_global = std::bernoulli_distribution(0.5)(rng);
  d.global = {static_cast<double>(pick({16, 64, 128})), 1, 1};
  std::ostringstream y;
  y << "name: " << name << "\nclock_mhz: 1000\ncores: " << cores
    << "\nsystolic: {rows: 4, cols: 4, dataflow: os, precisions: {int8: 1}}\nvector: {lanes: 8}\n"
    << "sram: {kib: 64, bytes_per_cycle: " << port;
  if (d.has_global) y << ", global_kib: 64, global_bytes_per_cycle: " << d.global.bandwidth;
  y << "}\ndram: {type: lpddr4, bandwidth_gbps: " << d.dram.bandwidth << ", latency_ns: " << d.dram.latency
    << ", channels: " << d.dram.channels << ", capacity_gib: 1, burst_bytes: " << burst << "}\n"
    << "dma: {outstanding: " << outstanding << "}\ntechnology: {node_nm: 22}\n";
  d.arch = test::arch_from_text(name, y.str());
  return d;
}

Command dma(int core, std::uint64_t bytes, bool store, bool global, CommandDeps deps) {
  return test::dma(core, bytes, store, std::move(deps), global ? MemoryTarget::global_buffer : MemoryTarget::dram);
}

using test::compute;

// Rates of a transfer alone: x (its busiest channel and its port) and c (its engine's window).
struct Alone {
  double x = 0, c = 0, latency = 0;
};

Alone alone(const MemoryDraw& d, const Command& cmd) {
  const bool global = cmd.memory == MemoryTarget::global_buffer && d.has_global;
  const Memory& m = global ? d.global : d.dram;
  const double b = d.arch.dram.burst_bytes, bytes = static_cast<double>(cmd.dram_bytes);
  const double channel = m.bandwidth / m.channels;
  const double bursts = std::ceil(bytes / b);
  // At least `channels` bursts spread evenly; fewer take one channel each (the busiest carries a whole
  // burst, or all of a single short one).
  const double channel_time = bursts >= m.channels ? bytes / m.bandwidth : (bursts > 1 ? b : bytes) / channel;
  Alone a;
  a.x = std::min(bytes / channel_time, static_cast<double>(d.arch.sram.bytes_per_cycle));
  a.c = d.arch.dma.outstanding * b / (m.latency + b / channel);
  a.latency = m.latency;
  return a;
}

std::string run_child(const std::function<std::string()>& work) {
  const ChildOutcome o = run_in_child(work, 60);
  return o.ok ? o.payload : "child failed: " + o.error;
}

// (a) one core, a chain load -> compute -> store -> compute ..., each compute longer than 2 latencies so
// every DMA finds its window full again.
void lone_transfers(unsigned seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 12; ++i) {
    const MemoryDraw d = draw_arch(rng, "lone" + std::to_string(i), 1);
    Program p;
    CommandId prev = 0;
    bool first = true;
    std::uniform_int_distribution<std::uint64_t> bytes(1, 40000);
    for (int k = 0; k < 6; ++k) {
      const bool global = d.has_global && std::bernoulli_distribution(0.3)(rng);
      CommandDeps deps;
      if (!first) deps.push_back(prev);
      prev = p.add(dma(0, bytes(rng), k % 2 == 1, global, deps));
      prev = p.add(compute(0, 2 * static_cast<std::uint64_t>(d.dram.latency) + 3, {prev}));
      first = false;
    }
    const std::string out = run_child([&] {
      const EngineResult r = simulate(d.arch, p);
      std::ostringstream err;
      for (CommandId id = 0; id < p.commands.size(); ++id) {
        const Command& c = p.commands[id];
        if (!is_dma(c.unit)) continue;
        const Alone a = alone(d, c);
        const double bytes_d = static_cast<double>(c.dram_bytes);
        const double expect = std::max(a.latency + bytes_d / a.x, bytes_d / a.c);
        const double got = static_cast<double>(r.times.end[id] - r.times.start[id]);
        if (got < expect - 1e-6 ||
            got >= expect + 1 - 1e-6)  // the first whole cycle at or after the fluid end
          err << "command " << id << " (" << c.dram_bytes << " B): " << got << " cycles, closed form "
              << expect << "\n";
      }
      return err.str();
    });
    EXPECT_EQ(out, "") << "seed " << seed << ", case " << i;
  }
}

// (b) 1-4 cores, random loads, stores and computes with random dependencies on earlier commands.
void concurrent_bounds(unsigned seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 12; ++i) {
    const int cores = std::uniform_int_distribution<int>(1, 4)(rng);
    const MemoryDraw d = draw_arch(rng, "bounds" + std::to_string(i), cores);
    Program p;
    p.cores = cores;
    const int n = std::uniform_int_distribution<int>(5, 60)(rng);
    for (int k = 0; k < n; ++k) {
      CommandDeps deps;
      for (int j = 0; j < 2 && !p.commands.empty(); ++j)
        if (std::bernoulli_distribution(0.4)(rng))
          deps.push_back(std::uniform_int_distribution<CommandId>(
              0, static_cast<CommandId>(p.commands.size() - 1))(rng));
      const int core = std::uniform_int_distribution<int>(0, cores - 1)(rng);
      const int kind = std::uniform_int_distribution<int>(0, 2)(rng);
      if (kind == 2)
        p.add(compute(core, std::uniform_int_distribution<std::uint64_t>(1, 300)(rng), deps));
      else
        p.add(dma(core, std::uniform_int_distribution<std::uint64_t>(0, 20000)(rng), kind == 1,
                  d.has_global && std::bernoulli_distribution(0.3)(rng), deps));
    }
    const std::string out = run_child([&] {
      const EngineResult r = simulate(d.arch, p);
      std::ostringstream err;
      for (CommandId id = 0; id < p.commands.size(); ++id) {
        const Command& c = p.commands[id];
        std::uint64_t ready = 0;
        for (CommandId dep : c.deps) ready = std::max(ready, r.times.end[dep]);
        if (r.times.start[id] < ready) err << "command " << id << " starts before its dependencies end\n";
        if (!is_dma(c.unit)) {
          if (r.times.end[id] - r.times.start[id] != c.cycles)
            err << "compute " << id << " has the wrong length\n";
          continue;
        }
        if (c.dram_bytes == 0) continue;
        const Alone a = alone(d, c);
        const bool global = c.memory == MemoryTarget::global_buffer && d.has_global;
        const double peak = std::min(global ? d.global.bandwidth : d.dram.bandwidth,
                                     static_cast<double>(d.arch.sram.bytes_per_cycle));
        const double bytes_d = static_cast<double>(c.dram_bytes), end = static_cast<double>(r.times.end[id]);
        if (end + 1e-9 < static_cast<double>(ready) + a.latency + bytes_d / peak)
          err << "command " << id << " beats latency + bytes / bandwidth\n";
        if (end + 1e-9 < static_cast<double>(ready) + bytes_d / a.c)
          err << "command " << id << " beats its window\n";
      }
      double served = 0;
      std::uint64_t last_end = 0;
      for (const ServiceSegment& s : r.dram_service) {
        served += s.bytes;
        if (s.start < last_end || s.end <= s.start) err << "service segments overlap or are empty\n";
        if (s.bytes > d.dram.bandwidth * static_cast<double>(s.end - s.start) * (1 + 1e-9))
          err << "DRAM served above peak in [" << s.start << ", " << s.end << ")\n";
        last_end = s.end;
      }
      const double moved = static_cast<double>(r.dram_read_bytes + r.dram_write_bytes);
      if (std::abs(served - moved) > 1e-9 * std::max(1.0, moved))
        err << "service intervals carry " << served << " B, DMA moved " << moved << " B\n";
      return err.str();
    });
    EXPECT_EQ(out, "") << "seed " << seed << ", case " << i;
  }
}

TEST(MemoryProperty, LoneTransfersMatchTheClosedForm) {
  for (unsigned s : seeds()) lone_transfers(s);
}

TEST(MemoryProperty, ConcurrentTransfersRespectTheirBounds) {
  for (unsigned s : seeds()) concurrent_bounds(s);
}

}  // namespace
}  // namespace catsim
