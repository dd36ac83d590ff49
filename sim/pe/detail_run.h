#pragma once
// `--detail pe`: replays what the engine ran on the PE-level reference model. For every matmul and every
// core, the core's share runs with seeded random inputs, its folds in the compiled order, and each of the
// op's array commands on that core must end in the cycle the PE model reaches the same point of the fold
// chain; the outputs must equal a reference GEMM in the same precision.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "workloads/model_spec.h"

namespace catsim {

struct PeDetailRow {
  std::string op;
  int core = 0;
  std::int64_t instances = 1, m = 0, n = 0, k = 0;  // the core's share: instances x (m x k)·(k x n)
  Precision precision = Precision::int8;
  std::uint64_t pe_cycles = 0;        // the share's fold chain, stepped by the PE-level model
  std::uint64_t engine_cycles = 0;    // the engine's array commands for the share, summed
  std::uint64_t commands = 0;         // array commands of the share
  std::uint64_t commands_matching = 0;  // of them, those ending in the PE model's cycle
  std::uint64_t useful_macs = 0;      // PE MACs on data (several instances: the padding between them counts)
  double peak_active_pes = 0;         // highest number of PEs busy in one cycle
  bool outputs_match = false;         // PE outputs == reference GEMM in the same precision
  bool reused = false;                // an identical share was replayed before: its PE run is shared

  bool agrees() const { return pe_cycles == engine_cycles && commands_matching == commands && outputs_match; }
};

// PE-steps (R x C x cycles) allowed for one share; larger ones are a ConfigError naming the op.
inline constexpr std::uint64_t kMaxPeSteps = 2'000'000'000ULL;

// Called before each matmul's replay: (index, count, op name), for a progress line.
using PeProgress = std::function<void(std::size_t, std::size_t, const std::string&)>;

// Replays every matmul of the model as compiled for `arch`; when `vcd_path` is non-empty, the first
// share dumps a VCD there.
std::vector<PeDetailRow> run_pe_detail(const ArchSpec& arch, const ModelSpec& model, const std::string& vcd_path,
                                       const PeProgress& progress = {});

}  // namespace catsim
