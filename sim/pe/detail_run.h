#pragma once
// `--detail pe`: runs a model's matmuls on the PE-level reference model with seeded random inputs and
// checks them against the fast path: cycles against the closed form, outputs against a reference GEMM.

#include <cstdint>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "workloads/model_spec.h"

namespace catsim {

struct PeDetailRow {
  std::string op;
  std::int64_t m = 0, n = 0, k = 0;    // one instance (GQA groups stacked into m)
  Precision precision = Precision::int8;
  std::uint64_t pe_cycles = 0;          // stepped by the PE-level model
  std::uint64_t closed_form_cycles = 0; // sim/systolic/fold_timing
  std::uint64_t useful_macs = 0;
  double peak_active_pes = 0;           // highest number of PEs busy in one cycle
  bool outputs_match = false;           // PE outputs == reference GEMM in the same precision
};

// PE-steps (R x C x cycles) allowed for one matmul; larger shapes are a ConfigError naming the op.
inline constexpr std::uint64_t kMaxPeSteps = 2'000'000'000ULL;

// Runs every matmul of the model; when `vcd_path` is non-empty, the first one dumps a VCD there.
std::vector<PeDetailRow> run_pe_detail(const ArchSpec& arch, const ModelSpec& model, const std::string& vcd_path);

}  // namespace catsim
