#pragma once
// One evaluation end to end: model -> op graph -> program -> SystemC run -> per-op timing, unit
// utilization and event counts. The result feeds the terminal report, JSON, CSV, traces and energy.

#include <chrono>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "sim/compile/program.h"
#include "sim/engine/accelerator.h"
#include "sim/event_counts.h"
#include "sim/event_prices.h"
#include "workloads/model_spec.h"
#include "workloads/op_graph.h"

namespace catsim {

// What sets an op's time: the unit busiest over it. The array is `compute` when at least half of its
// PE-cycles while busy do a MAC, and `intake` when fewer do: it is busy taking operands in and results out
// through its edges (a GEMV's single row or column of PEs, short streams' fill and drain) while most PEs
// idle, so more memory bandwidth would not help, and neither would more PEs of the same shape.
enum class Bound { compute, intake, memory, vector, none };
std::string_view name_of(Bound b);

// compute or intake, for an op whose busiest unit is the array: `macs` at precision `p` over `array_busy`
// cycles summed over the cores.
Bound array_bound(const ArchSpec& arch, Precision p, std::uint64_t macs, std::uint64_t array_busy);

struct OpResult {
  std::string name, kind, shape, note;
  std::uint64_t start_cycle = 0, end_cycle = 0, cycles = 0;
  std::uint64_t macs = 0, dram_bytes = 0, global_bytes = 0;  // bytes moved to/from DRAM and the global buffer
  std::uint64_t dram_read_bytes = 0, dram_write_bytes = 0;      // dram_bytes split by direction (load / store)
  std::uint64_t global_read_bytes = 0, global_write_bytes = 0;  // global_bytes split by direction
  EventCounts counts;  // this op's events (cycles 0: static energy belongs to the whole run, not to ops)
  std::uint64_t compulsory_dram_bytes = 0;  // each DRAM-resident operand once (the floor of DRAM traffic)
  std::uint64_t array_busy = 0, dma_busy = 0, vector_busy = 0;  // summed over cores
  std::uint64_t fill_drain_cycles = 0;  // of array_busy: fill, drain and unhidden stationary loads (OpPlan)
  double utilization = 0;  // MACs / (peak MACs per cycle x cycles)
  Bound bound = Bound::none;
  Precision compute = Precision::int8;
};

struct SimulationResult {
  std::string arch_name, model_name;
  std::string fidelity = "cycle";  // "cycle" (the engine), or the closed-form estimator: roofline, sequential
  double clock_mhz = 0;
  ArrayTiming timing = ArrayTiming::pipelined;
  std::uint64_t makespan_cycles = 0;  // end of the last command
  std::uint64_t cycles = 0;           // reported: makespan, or makespan - 1 in scalesim timing (SCALE-Sim's index)
  double latency_s = 0;
  double array_utilization = 0;       // all MACs / (peak MACs per cycle x makespan)
  std::vector<OpResult> ops;
  std::vector<UnitStats> units;
  EventCounts counts;
  Program program;  // kept for traces
  CommandTimes times;
  std::vector<ServiceSegment> dram_service;  // what DRAM served when (for traces)
  double dram_peak_gbps = 0;
  DramModel dram_model = DramModel::timed;
  std::string dram_part;              // banked: the part's name
  std::uint64_t dram_part_burst_bytes = 0;  // banked: bytes of one of its bursts
  std::uint64_t array_port_stall_cycles = 0;  // summed over cores (sram.array_port: shared)
};

// Wall time of each stage of run_simulation(), for the benchmarks.
struct StageSeconds {
  double lower = 0, compile = 0, simulate = 0, assemble = 0;
};

// Times consecutive stages: each lap() stores the seconds since the previous one (or construction).
class StageClock {
 public:
  void lap(double& seconds);

 private:
  std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

// Banked DRAM: all-bank refreshes over `seconds` of every part side by side (0 for the other models).
std::uint64_t dram_refreshes(const ArchSpec& arch, double seconds);

// Sets what `r` reports of the arch's DRAM: its peak bandwidth, model and (banked) part.
void describe_dram(const ArchSpec& arch, SimulationResult& r);

// `prices`: the design's energy rates, needed when arch.mapper.objective is energy or edp.
SimulationResult run_simulation(const ArchSpec& arch, const ModelSpec& model, StageSeconds* timing = nullptr,
                                const EventPrices* prices = nullptr);

// Adds an op's scratchpad and global-buffer bytes, by buffer, to `c`.
void add_sram(EventCounts& c, const SramTraffic& s);

// One op's event counts (what its energy comes from) from its plan and what its commands did: the same
// record for a cycle-level run and for an estimate.
EventCounts op_event_counts(const ArchSpec& arch, const OpPlan& plan, const OpResult& op);

// The event counts of a whole run (what its energy comes from): the engine's DRAM bytes, DMA commands and
// busy cycles, the array's MACs by the precision of their op, and every op's planned SRAM and vector events.
EventCounts run_event_counts(const ArchSpec& arch, const Program& program, const EngineResult& engine);

// Per-op results and totals from a finished engine run (separated for tests).
SimulationResult assemble_result(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph, Program program,
                                 EngineResult engine);

}  // namespace catsim
