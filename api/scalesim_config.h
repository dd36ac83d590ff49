#pragma once
// SCALE-Sim v2 `.cfg` files (INI: [general], [architecture_presets], [run_presets]; `key : value` or
// `key = value`, keys case-insensitive as SCALE-Sim's reader treats them) mapped onto a catsim arch.yaml:
// one core of ArrayHeight x ArrayWidth, its dataflow, the three SRAM sizes as the scratchpad split,
// `timing: scalesim` and ideal DRAM (SCALE-Sim's stall-free CALC mode). Bad input: ConfigError at file:line.

#include <string>

namespace catsim {

struct ScaleSimConfig {
  std::string run_name;          // [general] run_name, else the file's stem
  int rows = 0, cols = 0;        // ArrayHeight, ArrayWidth (PEs)
  double ifmap_kb = 0, filter_kb = 0, ofmap_kb = 0;  // IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB (KiB)
  std::string dataflow;          // os | ws | is
  int bandwidth = 0;             // Bandwidth (words/cycle; 0 when absent); sets the scratchpad port
  bool user_bandwidth = false;   // [run_presets] InterfaceBandwidth: USER (catsim still computes CALC cycles)
};

ScaleSimConfig read_scalesim_config(const std::string& file);
ScaleSimConfig parse_scalesim_config(const std::string& text, const std::string& file);

// The arch.yaml text the configuration stands for.
std::string scalesim_arch_yaml(const ScaleSimConfig& c);

}  // namespace catsim
