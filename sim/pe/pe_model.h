#pragma once
// The PE-level reference model: runs one GEMM on an R x C array by stepping every PE's registers
// each cycle, computing real values in the array's precision. It is the oracle for fold_timing.h.

#include <cstdint>
#include <vector>

#include "arch/dataflow.h"
#include "arch/precision.h"
#include "sim/pe/matrix.h"
#include "sim/pe/pe_registers.h"
#include "sim/pe/vcd_writer.h"
#include "sim/systolic/fold_timing.h"

namespace catsim {

// The array the GEMM runs on.
struct PeArrayConfig {
  ArrayShape array{1, 1};
  Dataflow dataflow = Dataflow::os;
  ArrayTiming timing = ArrayTiming::pipelined;
  Precision precision = Precision::int8;
  double macs_per_pe_per_cycle = 1;  // valid_mac_rate(); packing supports up to kMaxPack (8)
};

struct PeRunOptions {
  VcdWriter* vcd = nullptr;    // when set, the run dumps per-cycle signals into it (see vcd_probe.h)
  std::vector<FoldRef> order;  // folds to run, in this order (empty: all, row folds outer)
};

struct PeRunResult {
  Matrix c;                       // M x N outputs, computed in the precision (see numeric.h)
  std::uint64_t cycles = 0;       // counted as array_cycles() counts them (drain of the last fold excluded)
  std::vector<int> active_pes;    // per cycle in [0, cycles): PEs doing a MAC on real (not padding) data
  std::uint64_t useful_macs = 0;  // MACs on real data: M*N*K for a correct run
  std::vector<std::int64_t> fold_starts;  // cycle each fold placement started streaming, in run order
};

// Runs C = A * B (A is M x K, B is K x N, both quantized to the precision on entry). Folds run row
// folds outer, column folds inner. Throws std::invalid_argument for bad shapes or rates, and
// std::logic_error if the register model detects a hazard (a bug in the model, not in the input).
PeRunResult run_pe_gemm(const PeArrayConfig& config, const Matrix& a, const Matrix& b,
                        const PeRunOptions& options = {});

}  // namespace catsim
