#include "sim/run/simulation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "sim/compile/compiler.h"
#include "sim/engine/heap_warmup.h"

namespace catsim {

std::string_view name_of(Bound b) {
  switch (b) {
    case Bound::compute: return "compute";
    case Bound::intake: return "intake";
    case Bound::memory: return "memory";
    case Bound::vector: return "vector";
    case Bound::none: return "-";
  }
  return "?";
}

namespace {


Bound classify(const ArchSpec& arch, const OpResult& r) {
  const std::uint64_t top = std::max({r.array_busy, r.dma_busy, r.vector_busy});
  if (top == 0) return Bound::none;
  if (top == r.array_busy) return array_bound(arch, r.compute, r.macs, r.array_busy);
  if (top == r.dma_busy) return Bound::memory;
  return Bound::vector;
}

}  // namespace

void add_sram(EventCounts& c, const SramTraffic& s) {
  using B = SramBufferKind;
  c.sram_read_bytes[B::ifmap] += s.ifmap_read;
  c.sram_read_bytes[B::weight] += s.weight_read;
  c.sram_read_bytes[B::ofmap] += s.ofmap_read;
  c.sram_read_bytes[B::vector] += s.vector_read;
  c.sram_write_bytes[B::ifmap] += s.ifmap_write;
  c.sram_write_bytes[B::weight] += s.weight_write;
  c.sram_write_bytes[B::ofmap] += s.ofmap_write;
  c.sram_write_bytes[B::vector] += s.vector_write;
  c.sram_read_bytes[B::global] += s.global_read;
  c.sram_write_bytes[B::global] += s.global_write;
}

EventCounts op_event_counts(const ArchSpec& arch, const OpPlan& plan, const OpResult& op) {
  EventCounts c;
  c.clock_mhz = arch.clock_mhz;
  c.macs[plan.compute] = op.macs;
  add_sram(c, plan.sram);
  c.vector_ops = plan.vector_ops;
  c.dram_read_bytes = op.dram_read_bytes;
  c.dram_write_bytes = op.dram_write_bytes;
  c.array_busy_cycles = op.array_busy;
  c.vector_busy_cycles = op.vector_busy;
  return c;
}

Bound array_bound(const ArchSpec& arch, Precision p, std::uint64_t macs, std::uint64_t array_busy) {
  const double per_array = arch.peak_macs_per_cycle(p) / arch.cores;  // one core's MACs per cycle
  return 2 * static_cast<double>(macs) >= per_array * static_cast<double>(array_busy) ? Bound::compute : Bound::intake;
}

std::uint64_t dram_refreshes(const ArchSpec& arch, double seconds) {
  const DramDevice* part = arch.dram.part.get();
  if (!part || !(seconds > 0)) return 0;
  // Every part refreshes all its banks once per tREFI, whether or not it is busy: the run's expected count.
  const double interval_s = part->timing.refi * part->tck_ns * 1e-9;
  const double refreshes = seconds / interval_s * parts_side_by_side(arch.dram.bandwidth_gbps, arch.dram.channels, *part);
  return refreshes < 0x1p63 ? static_cast<std::uint64_t>(std::llround(refreshes)) : std::numeric_limits<std::uint64_t>::max();
}

void describe_dram(const ArchSpec& arch, SimulationResult& r) {
  r.dram_peak_gbps = arch.dram.bandwidth_gbps;
  r.dram_model = arch.dram.model;
  if (arch.dram.part) r.dram_part = arch.dram.part->name, r.dram_part_burst_bytes = arch.dram.part->org.burst_bytes();
}

EventCounts run_event_counts(const ArchSpec& arch, const Program& program, const EngineResult& engine) {
  EventCounts c;
  c.cycles = engine.cycles;
  c.clock_mhz = arch.clock_mhz;
  c.dram_read_bytes = engine.dram_read_bytes;
  c.dram_write_bytes = engine.dram_write_bytes;
  c.dram_activates = engine.dram_activates;
  c.dram_open_cycles = engine.dram_open_cycles;
  c.dram_refreshes = dram_refreshes(arch, c.seconds());
  c.dma_transfers = engine.dma_transfers;
  for (const auto& u : engine.units) {
    if (u.unit == UnitKind::array) c.array_busy_cycles += u.busy_cycles;
    if (u.unit == UnitKind::vector) c.vector_busy_cycles += u.busy_cycles;
  }
  for (const Command& cmd : program.commands)
    if (cmd.unit == UnitKind::array) c.macs[program.ops[static_cast<std::size_t>(cmd.op)].compute] += cmd.macs;
  for (const OpPlan& plan : program.ops) {
    add_sram(c, plan.sram);
    c.vector_ops += plan.vector_ops;
  }
  return c;
}

void StageClock::lap(double& seconds) {
  const std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
  seconds = std::chrono::duration<double>(now - m_last).count();
  m_last = now;
}

SimulationResult assemble_result(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph, Program program,
                                 EngineResult engine) {
  SimulationResult r;
  r.arch_name = arch.name;
  r.model_name = model.name;
  r.clock_mhz = arch.clock_mhz;
  r.timing = arch.systolic.timing;
  r.makespan_cycles = engine.cycles;
  r.cycles = arch.systolic.timing == ArrayTiming::scalesim && engine.cycles > 0 ? engine.cycles - 1 : engine.cycles;
  r.latency_s = static_cast<double>(engine.cycles) / (arch.clock_mhz * 1e6);
  r.units = engine.units;

  r.ops.resize(graph.ops.size());
  for (std::size_t i = 0; i < graph.ops.size(); ++i) {
    const Op& op = graph.ops[i];
    OpResult& o = r.ops[i];
    o.name = op.name;
    o.kind = std::string(name_of(op.kind));
    o.shape = op.shape();
    o.note = program.ops[i].note;
    o.compute = program.ops[i].compute;
    o.compulsory_dram_bytes = program.ops[i].compulsory_dram_bytes;
    o.fill_drain_cycles = program.ops[i].fill_drain_cycles;
    o.start_cycle = std::numeric_limits<std::uint64_t>::max();
  }
  for (std::size_t id = 0; id < program.commands.size(); ++id) {
    const Command& c = program.commands[id];
    OpResult& o = r.ops[c.op];
    const std::uint64_t busy = engine.times.end[id] - engine.times.start[id];
    o.start_cycle = std::min(o.start_cycle, engine.times.start[id]);
    o.end_cycle = std::max(o.end_cycle, engine.times.end[id]);
    if (c.unit == UnitKind::array) o.array_busy += busy, o.macs += c.macs;  // MACs the array ran (causal skips)
    if (c.unit == UnitKind::vector) o.vector_busy += busy;
    if (is_dma(c.unit)) {
      o.dma_busy += busy;
      const bool dram = c.memory == MemoryTarget::dram, load = c.unit == UnitKind::dma_load;
      (dram ? o.dram_bytes : o.global_bytes) += c.dram_bytes;
      (dram ? (load ? o.dram_read_bytes : o.dram_write_bytes) : (load ? o.global_read_bytes : o.global_write_bytes)) +=
          c.dram_bytes;
      o.counts.dma_transfers++;
    }
  }
  std::uint64_t prev_end = 0;
  for (OpResult& o : r.ops) {
    if (o.start_cycle == std::numeric_limits<std::uint64_t>::max()) o.start_cycle = o.end_cycle = prev_end;
    o.cycles = o.end_cycle - o.start_cycle;
    o.bound = classify(arch, o);
    const double peak = arch.peak_macs_per_cycle(o.compute);
    o.utilization = o.cycles > 0 && peak > 0 ? static_cast<double>(o.macs) / (peak * static_cast<double>(o.cycles)) : 0;
    prev_end = o.end_cycle;
  }

  r.counts = run_event_counts(arch, program, engine);
  double peak_macs = 0;
  for (std::size_t i = 0; i < graph.ops.size(); ++i) {
    r.ops[i].counts = op_event_counts(arch, program.ops[i], r.ops[i]);
    if (r.ops[i].macs) peak_macs = std::max(peak_macs, arch.peak_macs_per_cycle(program.ops[i].compute));
  }
  r.array_utilization = engine.cycles > 0 && peak_macs > 0
                            ? static_cast<double>(engine.macs) / (peak_macs * static_cast<double>(engine.cycles))
                            : 0;
  r.program = std::move(program);
  r.times = std::move(engine.times);
  r.dram_service = std::move(engine.dram_service);
  describe_dram(arch, r);
  r.array_port_stall_cycles = engine.array_port_stall_cycles;
  return r;
}

SimulationResult run_simulation(const ArchSpec& arch, const ModelSpec& model, StageSeconds* timing,
                                const EventPrices* prices) {
  StageSeconds local;
  StageSeconds& t = timing ? *timing : local;
  // In a child forked by a search the parent's heap is shared copy-on-write: populating it here copies it in one
  // system call instead of one fault per page written.
  warm_heap(kRunHeapBytes);
  StageClock clock;
  OpGraph graph = lower(model);
  clock.lap(t.lower);
  Program program = compile(arch, model, graph, MapperChoice::engine_time, prices);
  clock.lap(t.compile);
  EngineResult engine = simulate(arch, program);
  clock.lap(t.simulate);
  SimulationResult r = assemble_result(arch, model, graph, std::move(program), std::move(engine));
  clock.lap(t.assemble);
  return r;
}

}  // namespace catsim
