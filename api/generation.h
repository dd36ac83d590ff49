#pragma once
// `phase: generate`: time to first token (the prompt's prefill) and time per output token over a whole
// generation. The prefill and each sampled decode step run in their own forked child (SystemC elaborates
// once per process); decode steps between samples are interpolated (sim/run/decode_sampling.h).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/child_failure.h"
#include "arch/arch_spec.h"
#include "sim/run/decode_sampling.h"
#include "workloads/model_spec.h"

namespace catsim {

// Interpolation tolerance of one sample against its neighbours; the tests bound the total's error at 1 %.
inline constexpr double kDecodeSampleTolerance = 0.0025;

struct GenerationResult {
  double ttft_s = 0;        // the prefill of the prompt
  double tpot_s = 0;        // mean time per output token (decode step)
  double tpot_first_s = 0;  // the first decode step (kv_len = prompt_len + 1)
  double tpot_last_s = 0;   // the last (kv_len = prompt_len + gen_len)
  double total_s = 0;       // ttft + gen_len x tpot
  double tokens_per_s = 0;  // batch x gen_len / total
  double energy_j = 0;      // prefill + every decode step, all sequences of the batch
  double energy_per_token_j = 0;
  double carbon_per_token_g = 0;  // operational share of the energy plus the embodied share per sequence
  std::vector<DecodeSample> samples;  // the decode steps simulated
  bool exact_steps = false;
  nlohmann::json prefill;  // the prefill's full result (timing, ops, energy, carbon)
};

// ChildFailure when the prefill or a decode step fails.
GenerationResult run_generation(const ArchSpec& arch, const ModelSpec& model, bool exact_steps,
                                 const std::string& command_line);

nlohmann::json generation_json(const GenerationResult& g);
// What `catsim ARCH MODEL --json` prints for phase: generate: catsim_version, command_line, resolved, the
// generation's figures and the prompt's prefill result (without its own version, command line and resolved).
nlohmann::json generation_document(const ArchSpec& arch, const ModelSpec& model, GenerationResult g,
                                   const std::string& command_line);
std::string generation_text(const GenerationResult& g, const ModelSpec& model);

}  // namespace catsim
