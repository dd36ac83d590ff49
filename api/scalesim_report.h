#pragma once
// SCALE-Sim v2's report files from a catsim run of a GEMM list: COMPUTE_REPORT.csv with its exact columns
// (LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %) and
// BANDWIDTH_REPORT.csv (average SRAM and DRAM words per cycle of each operand), so the two tools diff directly.

#include <string>
#include <vector>

#include "sim/run/simulation.h"

namespace catsim {

struct ScaleSimLayer {
  std::uint64_t total_cycles = 0;  // the layer's array span in the run - 1 (SCALE-Sim reports the last cycle's index)
  std::uint64_t stall_cycles = 0;  // 0: ideal memory (CALC mode) never stalls
  double overall_util_pct = 0;     // MACs / (R x C x Total Cycles)
  double mapping_eff_pct = 0;      // mean over folds of the PEs a fold uses / (R x C)
  double compute_util_pct = 0;     // mean over folds of used PEs x T / (R x C x the fold's cycles)
  double sram_bw[3] = {0, 0, 0};   // ifmap reads, filter reads, ofmap writes: bytes (= words) per cycle
  double dram_bw[3] = {0, 0, 0};   // the same operands to and from DRAM
};

// One row per op (= per GEMM) of `r`, the cycle-level run of a GEMM-list model on `arch` (one core).
std::vector<ScaleSimLayer> scalesim_layers(const ArchSpec& arch, const ModelSpec& model, const SimulationResult& r);

std::string compute_report_csv(const std::vector<ScaleSimLayer>& layers);
std::string bandwidth_report_csv(const std::vector<ScaleSimLayer>& layers);

}  // namespace catsim
