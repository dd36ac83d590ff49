#pragma once
// The validated description of one accelerator, parsed from arch.yaml (see arch/arch_parser.h).
// Units are in the field names; every field is documented in the README's arch.yaml schema.

#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "arch/config/config_node.h"
#include "arch/dataflow.h"
#include "arch/dram_device.h"
#include "arch/precision.h"
#include "arch/vector_op.h"

namespace catsim {

struct SystolicSpec {
  int rows = 0;  // PE rows (R)
  int cols = 0;  // PE columns (C)
  Dataflow dataflow = Dataflow::os;
  ArrayTiming timing = ArrayTiming::pipelined;
  std::map<Precision, double> macs_per_pe_per_cycle;  // absent precision = unsupported
};

// Cycles per pass of `lanes` elements for each vector operation, plus the pipeline fill latency.
struct VectorSpec {
  int lanes = 0;
  int pipeline_latency = 0;
  std::map<std::string, int> op_cycles;  // keys: kVectorOps
};

struct SramSpec {
  double kib = 0;                   // per-core scratchpad capacity
  std::optional<double> ifmap_kib;  // optional SCALE-Sim-style split of the scratchpad
  std::optional<double> weight_kib;
  std::optional<double> ofmap_kib;
  int bytes_per_cycle = 0;  // per-core scratchpad port bandwidth
  bool array_shares_port = false;  // the array's operand reads and result writes also use that port
  int banks = 1;
  double global_kib = 0;  // shared global buffer (0 = none)
  int global_bytes_per_cycle = 0;
};

// timed: each channel a fair-shared server at its peak rate; banked: the same at the rate the part's bank-level
// controller sustains for the transfers in flight (sim/memory/dram/stream_profile.h); ideal: no time at all.
enum class DramModel { timed, banked, ideal };

constexpr std::string_view name_of(DramModel m) {
  switch (m) {
    case DramModel::timed: return "timed";
    case DramModel::banked: return "banked";
    case DramModel::ideal: return "ideal";
  }
  return "?";
}

struct DramSpec {
  std::string type;  // ddr3, ddr4, ddr5, lpddr4, lpddr5, hbm2, hbm2e, hbm3
  double bandwidth_gbps = 0;  // GB/s (10^9 bytes per second), all channels together
  double latency_ns = 0;
  int channels = 1;
  double capacity_gib = 0;
  DramModel model = DramModel::timed;
  int burst_bytes = 64;  // bytes per request (burst); bursts interleave over the channels
  std::string mapping = "RoBaCoBgCh";  // banked: a channel's address fields, most significant first
  bool open_page = true;               // banked: rows stay open after their accesses
  // banked: the part standing for `type` (configs/tech/dram_devices.yaml), set by resolve_dram_part
  // (carbon/tech/dram_devices.h) before a run; null otherwise.
  std::shared_ptr<const DramDevice> part;
  std::shared_ptr<DramMixTable> mixes;  // banked: its measured stream mixes, shared by the run's engines
};

// The DMA engines (one for loads, one for stores per core).
struct DmaSpec {
  int outstanding = 64;  // requests (bursts) in flight per DMA engine
};
inline constexpr int kMaxOutstanding = 65536;
inline constexpr int kMaxBurstBytes = 65536;

// What the mapper minimizes when it chooses a matmul's schedule among the candidates it runs: the op's time
// alone, its energy alone (dynamic events plus leakage over that time), or their product.
enum class MapperObjective { latency, energy, edp };

constexpr std::string_view name_of(MapperObjective o) {
  switch (o) {
    case MapperObjective::latency: return "latency";
    case MapperObjective::energy: return "energy";
    case MapperObjective::edp: return "edp";
  }
  return "?";
}

struct MapperSpec {
  MapperObjective objective = MapperObjective::latency;
};

enum class SramCell { hp, lstp };

struct TechnologySpec {
  int node_nm = 0;
  SramCell sram_cell = SramCell::hp;
  YAML::Node overrides;  // optional per-event energy/area overrides, validated by carbon/
};

// Inputs of the closed-form estimators (sim/analytic), not of the cycle-level run.
struct AnalyticSpec {
  double energy_per_mac_pj = 2.2;  // `sequential` estimator: flat energy per MAC (CATransformers, 22 nm)
};

struct ArchSpec {
  std::string name;
  std::string source_file;  // the arch.yaml this came from
  double clock_mhz = 0;
  int cores = 1;
  SystolicSpec systolic;
  VectorSpec vector;
  SramSpec sram;
  DramSpec dram;
  DmaSpec dma;
  MapperSpec mapper;
  TechnologySpec technology;
  AnalyticSpec analytic;
  YAML::Node carbon;  // the `carbon:` block, validated by carbon/
  std::optional<double> area_mm2;
  std::shared_ptr<const Origins> origins;  // file of every key, for errors found by later layers
  YAML::Node tree;                         // the merged YAML, for locating keys in later errors

  // Where a dotted key (e.g. "sram.kib") was given: file, line and column, or the file alone.
  SourceLocation where(const std::string& dotted_key) const;

  // A location-aware view of a nested block (e.g. "carbon"), for layers that validate it later.
  ConfigNode block(const YAML::Node& node, const std::string& key) const { return ConfigNode(node, origins, key); }

  double period_ns() const { return 1000.0 / clock_mhz; }
  double dram_bytes_per_cycle() const { return dram.bandwidth_gbps * 1e3 / clock_mhz; }
  double dram_latency_cycles() const { return dram.latency_ns * clock_mhz / 1000.0; }  // one access
  bool supports(Precision p) const { return systolic.macs_per_pe_per_cycle.count(p) != 0; }
  double peak_macs_per_cycle(Precision p) const;
  double peak_tops(Precision p) const;  // 2 ops per MAC
};

inline constexpr const char* kDramTypes = "ddr3|ddr4|ddr5|lpddr4|lpddr5|hbm2|hbm2e|hbm3";

}  // namespace catsim
