#pragma once
// `phase: generate`: time to first token (the prompt's prefill) and time per output token over a whole
// generation. The prefill and each sampled decode step run in their own forked child (SystemC elaborates
// once per process); decode steps between samples are interpolated (sim/run/decode_sampling.h).

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

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

// A child run that failed: `config` when the input was bad (exit 2), else an internal failure.
struct GenerationFailed : std::runtime_error {
  GenerationFailed(const std::string& what, bool is_config) : std::runtime_error(what), config(is_config) {}
  bool config;
};

GenerationResult run_generation(const ArchSpec& arch, const ModelSpec& model, bool exact_steps,
                                 const std::string& command_line);

nlohmann::json generation_json(const GenerationResult& g);
std::string generation_text(const GenerationResult& g, const ModelSpec& model);

}  // namespace catsim
