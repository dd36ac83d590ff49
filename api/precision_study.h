#pragma once
// `--precisions fp32,fp16,int8,int4`: the same model on the same arch at each precision, each run in
// its own child process (SystemC elaborates once per process), compared side by side against the first.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arch/config/overrides.h"

namespace catsim {

struct PrecisionRun {
  std::string precision;
  bool ok = false;
  std::string error;  // why it did not run (e.g. the arch lacks the precision)
  bool internal = false;  // it failed inside catsim (crash, signal, timeout), not on bad input
  double latency_s = 0, energy_j = 0, operational_g = 0, per_inference_g = 0, tops_per_w = 0;
  std::uint64_t cycles = 0, dram_bytes = 0;
  nlohmann::json result;  // the full result document of the run (as `catsim ARCH MODEL --json` prints it)
};

std::vector<PrecisionRun> run_precision_study(const std::string& arch_file, const std::string& model_file,
                                              const std::vector<Override>& overrides,
                                              const std::vector<std::string>& precisions,
                                              const std::string& command_line);

std::string precision_study_text(const std::vector<PrecisionRun>& runs);
// {catsim_version, command_line, baseline, runs: [{precision, ok, error | full result, savings}]}.
std::string precision_study_json(const std::vector<PrecisionRun>& runs, const std::string& command_line);

}  // namespace catsim
