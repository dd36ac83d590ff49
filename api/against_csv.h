#pragma once
// `catsim validate --against FILE.csv`: the user's own per-op estimates, matched to the ops of the run by
// name (as `catsim info` prints them), or a SCALE-Sim COMPUTE_REPORT.csv matched by LayerID to a GEMM list.

#include <string>
#include <vector>

#include "api/validate_compare.h"

namespace catsim {

struct AgainstFile {
  std::vector<std::optional<OpEstimateRow>> rows;  // one per op of the run; nullopt: not in the file
  std::vector<std::string> unknown_ops;            // names (or LayerIDs) of the file that match no op
  bool scalesim = false;                           // read as a SCALE-Sim COMPUTE_REPORT.csv
};

// Columns: `op`, then `cycles` or `latency_s` (seconds, at the arch's clock), optional `energy_j`. A SCALE-Sim
// report (`LayerID`, `Total Cycles`, ...) is accepted for `kind: gemm`/`gemms` models: LayerID i is the i-th
// GEMM, and Total Cycles (the index of the last cycle) + 1 its cycles. Bad rows: ConfigError at file:line.
// `ops` are the model's op names in graph order (read before the run: bad input fails before SystemC runs).
AgainstFile read_against(const std::string& path, const std::vector<std::string>& ops, double clock_mhz,
                         const ModelSpec& model);

}  // namespace catsim
