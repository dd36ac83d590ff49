#pragma once
// Writes a simulation as Chrome/Perfetto trace-event JSON: one track per unit per core, a slice per
// tile command (named after its op), and a counter track of DRAM bandwidth in GB/s.

#include <string>

#include "sim/run/simulation.h"
#include "workloads/op_graph.h"

namespace catsim {

// Writes to `path` (whole file or nothing: a temporary file renamed at the end); WriteError on I/O error.
void write_chrome_trace(const SimulationResult& r, const std::string& path);

}  // namespace catsim
