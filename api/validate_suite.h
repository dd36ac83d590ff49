#pragma once
// `catsim validate --suite DIR`: every arch x model pair found under DIR, each validated in a child process
// (SystemC elaborates once per process), one summary row per pair and estimator.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/validate_compare.h"
#include "arch/config/overrides.h"

namespace catsim {

// One pair's comparisons, everything a validation run reports (JSON as validation_json() writes it).
struct SuiteRow {
  std::string arch_file, model_file;
  std::string error;         // empty when the pair ran
  bool cannot_run = false;   // the error is the design's (weights beyond DRAM, a precision the array lacks)
  nlohmann::json summary;    // validation_json() of the pair
};

// Arch and model files under `dir` (recursively, sorted): YAML archs, YAML or HuggingFace JSON models.
void find_suite_files(const std::string& dir, std::vector<std::string>& archs, std::vector<std::string>& models);

// The whole JSON of one validation: arch, model, the first comparison's fields and `comparisons`.
nlohmann::json validation_json(const std::string& arch, const std::string& model, const std::vector<Comparison>& cs);

// Every comparison the options ask for, for one pair (runs SystemC: call in a fresh process).
std::vector<Comparison> validate_pair(const ArchSpec& arch, const ModelSpec& model,
                                      const std::vector<Estimator>& estimators, const std::string& against);

std::vector<SuiteRow> run_suite(const std::string& dir, const std::vector<Override>& overrides,
                                const std::vector<Estimator>& estimators);
std::string suite_text(const std::vector<SuiteRow>& rows);
std::string suite_csv(const std::vector<SuiteRow>& rows);

}  // namespace catsim
