#pragma once
// Writes a simulation as Chrome/Perfetto trace-event JSON: one track per unit per core (pid = core), a slice
// per tile command (named after its op); an "ops" process (pid = cores) with one slice per op from its
// first command's start to its last command's end; a "DRAM" process (pid = cores + 1) with a counter of
// the bandwidth DRAM actually served, in GB/s per window (from the memory system's service intervals).

#include <string>

#include "sim/run/simulation.h"
#include "sim/trace/trace_filter.h"
#include "workloads/op_graph.h"

namespace catsim {

// Streams the events kept by `filter` to `path` (whole file or nothing: a temporary file renamed at the end),
// or to stdout when `path` is "-". Throws WriteError naming the path and the cause on I/O error.
void write_chrome_trace(const SimulationResult& r, const std::string& path, const TraceFilter& filter = {});

}  // namespace catsim
