#pragma once
// Compiles an operator graph onto an accelerator: GEMMs into fold-aligned, double-buffered tiles in the
// loop order that moves the fewest DRAM bytes; vector ops into row chunks; work split across cores.
// Capacity problems (a tile that cannot fit, weights or KV cache beyond DRAM) are ConfigErrors.

#include "arch/arch_spec.h"
#include "sim/compile/op_timer.h"
#include "sim/compile/program.h"
#include "workloads/model_spec.h"
#include "workloads/op_graph.h"

namespace catsim {

// `choice`: how matmul schedules are chosen (op_timer.h); the cycle-level run uses the engine's time.
// `prices`: the design's energy rates, which mapper.objective energy and edp rank schedules by.
Program compile(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph,
                MapperChoice choice = MapperChoice::engine_time, const EventPrices* prices = nullptr);

// The precision a matmul's MACs run in: the wider operand, floating point over integer (dequantize).
Precision compute_precision(Precision a, Precision b);

}  // namespace catsim
