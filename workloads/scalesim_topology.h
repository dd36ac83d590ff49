#pragma once
// SCALE-Sim v2 topology CSVs as GEMM lists. GEMM files: `Layer, M, N, K,` rows. Convolution files:
// `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides[, Stride
// width]` rows, lowered as SCALE-Sim lowers them: M = output pixels ((H - R) / S + 1 per side, rounded up as
// it does), N = filters, K = filter height x width x channels; a layer whose name holds "DP" (depthwise) is
// one GEMM per channel. Rows end with a comma; bad rows are ConfigErrors at file:line.

#include <string>
#include <vector>

#include "workloads/model_spec.h"

namespace catsim {

// True when the file name ends in .csv (the main command then reads MODEL as a topology).
bool is_topology_csv(const std::string& file);

// The GEMMs of a topology file, in file order.
std::vector<GemmSpec> read_scalesim_topology(const std::string& file);
std::vector<GemmSpec> parse_scalesim_topology(const std::string& text, const std::string& file);

}  // namespace catsim
