#include "sim/analytic/estimator.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "sim/analytic/layer_sample.h"
#include "sim/analytic/op_tally.h"
#include "sim/compile/compiler.h"

namespace catsim {

std::string_view name_of(Estimator e) { return e == Estimator::roofline ? "roofline" : "sequential"; }

std::optional<Estimator> parse_estimator(std::string_view name) {
  if (name == "roofline") return Estimator::roofline;
  if (name == "sequential") return Estimator::sequential;
  return std::nullopt;
}

namespace {

using u64 = std::uint64_t;

u64 cycles_for(u64 bytes, double bytes_per_cycle) {
  return bytes == 0 || bytes_per_cycle <= 0 ? 0 : static_cast<u64>(std::ceil(static_cast<double>(bytes) / bytes_per_cycle));
}

u64 max_of(const std::vector<u64>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }
u64 sum_of(const std::vector<u64>& v) {
  u64 s = 0;
  for (u64 x : v) s += x;
  return s;
}


void add_counts(EventCounts& into, const EventCounts& c) {
  into.macs += c.macs;
  into.sram_read_bytes += c.sram_read_bytes;
  into.sram_write_bytes += c.sram_write_bytes;
  into.vector_ops += c.vector_ops;
  into.dram_read_bytes += c.dram_read_bytes;
  into.dram_write_bytes += c.dram_write_bytes;
  into.dma_transfers += c.dma_transfers;
  into.array_busy_cycles += c.array_busy_cycles;
  into.vector_busy_cycles += c.vector_busy_cycles;
}

// One op's result before it is placed in the sequence (start and end cycles unset).
OpResult estimate_one(const ArchSpec& arch, const Op& op, const OpPlan& plan, const OpTally& t, Estimator e) {
  OpResult o;
  o.name = op.name;
  o.kind = std::string(name_of(op.kind));
  o.shape = op.shape();
  o.note = plan.note;
  o.macs = t.macs;  // what the array commands ran (a causal mask skips tiles)
  o.compute = plan.compute;
  o.compulsory_dram_bytes = plan.compulsory_dram_bytes;
  o.fill_drain_cycles = plan.fill_drain_cycles;
  o.dram_read_bytes = t.dram_read, o.dram_write_bytes = t.dram_write;
  o.global_read_bytes = t.global_read, o.global_write_bytes = t.global_write;
  o.dram_bytes = t.dram_read + t.dram_write;
  o.global_bytes = t.global_read + t.global_write;
  const bool ideal = arch.dram.model == DramModel::ideal;
  const u64 array = max_of(t.array), vector = max_of(t.vector);
  const u64 dram = ideal ? 0 : cycles_for(o.dram_bytes, arch.dram_bytes_per_cycle());
  const u64 global = cycles_for(o.global_bytes, std::max(1, arch.sram.global_bytes_per_cycle));
  const u64 memory = e == Estimator::roofline ? std::max(dram, global) : dram + global;
  o.cycles = e == Estimator::roofline ? std::max(array, memory) + vector : array + vector + memory;
  o.array_busy = sum_of(t.array);
  o.vector_busy = sum_of(t.vector);
  o.dma_busy = memory;
  const u64 top = std::max({array, memory, vector});
  o.bound = top == 0        ? Bound::none
            : top == array  ? array_bound(arch, o.compute, o.macs, o.array_busy)
            : top == memory ? Bound::memory
                            : Bound::vector;
  o.counts = op_event_counts(arch, plan, o);
  o.counts.dma_transfers = t.dma;
  return o;
}

// Lays the ops one after another and sums the run's totals.
void finish(const ArchSpec& arch, const ModelSpec& model, Estimator e, SimulationResult& r) {
  r.fidelity = std::string(name_of(e));
  r.arch_name = arch.name;
  r.model_name = model.name;
  r.clock_mhz = arch.clock_mhz;
  r.timing = arch.systolic.timing;
  u64 now = 0;
  double peak_macs = 0;
  u64 macs = 0;
  for (OpResult& o : r.ops) {
    o.start_cycle = now;
    now += o.cycles;
    o.end_cycle = now;
    const double peak = arch.peak_macs_per_cycle(o.compute);
    o.utilization = o.cycles > 0 && peak > 0 ? static_cast<double>(o.macs) / (peak * static_cast<double>(o.cycles)) : 0;
    if (o.macs) peak_macs = std::max(peak_macs, peak);
    macs += o.macs;
    add_counts(r.counts, o.counts);
  }
  r.makespan_cycles = now;
  r.cycles = arch.systolic.timing == ArrayTiming::scalesim && now > 0 ? now - 1 : now;
  r.latency_s = static_cast<double>(now) / (arch.clock_mhz * 1e6);
  r.counts.cycles = now;
  r.counts.clock_mhz = arch.clock_mhz;
  r.array_utilization =
      now > 0 && peak_macs > 0 ? static_cast<double>(macs) / (peak_macs * static_cast<double>(now)) : 0;
  describe_dram(arch, r);
  r.counts.dram_refreshes = dram_refreshes(arch, r.counts.seconds());
}

}  // namespace

SimulationResult estimate_program(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph,
                                  const Program& program, Estimator e) {
  SimulationResult r;
  const std::vector<OpTally> t = tally_program(program, graph.ops.size());
  for (std::size_t i = 0; i < graph.ops.size(); ++i)
    r.ops.push_back(estimate_one(arch, graph.ops[i], program.ops[i], t[i], e));
  finish(arch, model, e, r);
  return r;
}

SimulationResult estimate_model(const ArchSpec& arch, const ModelSpec& model, Estimator e, StageSeconds* timing) {
  StageSeconds local;
  StageSeconds& s = timing ? *timing : local;
  StageClock clock;
  const OpGraph graph = lower(model);
  const LayerSample sample = sample_layers(graph);
  clock.lap(s.lower);
  const GraphTally t = tally_graph(arch, model, sample.graph);
  clock.lap(s.compile);
  std::vector<OpResult> sampled;
  sampled.reserve(sample.graph.ops.size());
  for (std::size_t i = 0; i < sample.graph.ops.size(); ++i)
    sampled.push_back(estimate_one(arch, sample.graph.ops[i], t.plans[i], t.ops[i], e));
  SimulationResult r;
  r.ops.reserve(graph.ops.size());
  for (std::size_t i = 0; i < graph.ops.size(); ++i) {
    r.ops.push_back(sampled[static_cast<std::size_t>(sample.represent[i])]);
    r.ops.back().name = graph.ops[i].name;
  }
  finish(arch, model, e, r);
  clock.lap(s.assemble);
  return r;
}

}  // namespace catsim
