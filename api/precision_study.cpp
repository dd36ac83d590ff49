#include "api/precision_study.h"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/evaluation.h"
#include "api/input_files.h"
#include "api/result_document.h"
#include "api/run_metadata.h"
#include "api/output_checks.h"
#include "arch/arch_parser.h"
#include "arch/config/error.h"
#include "sim/run/fork_runner.h"
#include "workloads/model_parser.h"
#include "carbon/tech/dram_devices.h"

namespace catsim {
namespace {

constexpr double kPrecisionRunTimeoutS = 3600;

// One run in the child: the model with all of weights, activations and KV cache at `precision`.
std::string run_one(const std::string& arch_file, const std::string& model_file, std::vector<Override> overrides,
                    const std::string& precision, const std::string& command_line) {
  overrides.push_back({"model", "precision", precision});
  ArchSpec arch = load_arch(arch_file, overrides);
  resolve_dram_part(arch);
  ModelSpec model = load_model(model_file, overrides);
  if (model.workload.phase == Phase::generate)
    throw ConfigError({"command line", 0, 0}, "--precisions",
                      "compares single runs; phase: generate is many (run it once per precision with --set "
                      "model.precision=P)");
  validate_energy_inputs(arch);
  const Evaluation ev = evaluate_design(arch, model);
  nlohmann::json j = result_document(ev, arch, model, command_line);
  require_finite_output(j, "precision " + precision);
  return j.dump();
}

double saving(double base, double x) { return base > 0 ? 100.0 * (1.0 - x / base) : 0.0; }

}  // namespace

std::vector<PrecisionRun> run_precision_study(const std::string& arch_file, const std::string& model_file,
                                              const std::vector<Override>& overrides,
                                              const std::vector<std::string>& precisions,
                                              const std::string& command_line) {
  // Every entry is checked before any child runs: each is one forked simulation.
  for (std::size_t i = 0; i < precisions.size(); ++i) {
    const std::string& p = precisions[i];
    if (!parse_precision(p))
      throw ConfigError({"command line", 0, 0}, "--precisions",
                        "unknown precision '" + p + "' (expected a list of " + std::string(kPrecisionChoices) + ")");
    if (std::find(precisions.begin(), precisions.begin() + static_cast<std::ptrdiff_t>(i), p) !=
        precisions.begin() + static_cast<std::ptrdiff_t>(i))
      throw ConfigError({"command line", 0, 0}, "--precisions", "'" + p + "' is listed twice");
  }
  check_argument_order(arch_file, model_file);
  std::vector<PrecisionRun> runs;
  for (const auto& p : precisions) {
    ChildOutcome child =
        run_in_child([&] { return run_one(arch_file, model_file, overrides, p, command_line); }, kPrecisionRunTimeoutS);
    PrecisionRun run;
    run.precision = p;
    run.ok = child.ok;
    if (!child.ok) {
      run.error = child.error.empty() ? "run failed" : child.error;
      run.internal = !child.config_error();
    } else {
      run.result = nlohmann::json::parse(child.payload);
      const nlohmann::json& j = run.result;
      run.cycles = j["makespan_cycles"];
      run.latency_s = j["latency_s"];
      run.energy_j = j["energy_j"];
      run.tops_per_w = j["tops_per_w"];
      run.operational_g = j["carbon"]["operational_g"];
      run.per_inference_g = j["carbon"]["per_inference_g"];
      run.dram_bytes = j["stats"]["dram_read_bytes"]["value"].get<std::uint64_t>() +
                       j["stats"]["dram_write_bytes"]["value"].get<std::uint64_t>();
    }
    runs.push_back(std::move(run));
  }
  return runs;
}

std::string precision_study_text(const std::vector<PrecisionRun>& runs) {
  const PrecisionRun* base = nullptr;
  for (const auto& r : runs)
    if (r.ok && !base) base = &r;
  std::string s = fmt::format("{:<6} {:>12} {:>12} {:>12} {:>10} {:>14} {:>14} {:>9} {:>9}\n", "prec", "latency s",
                              "energy J", "DRAM MiB", "TOPS/W", "operational g", "per infer. g", "E saved", "C saved");
  for (const auto& r : runs) {
    if (!r.ok) {
      s += fmt::format("{:<6} not run: {}\n", r.precision, r.error);
      continue;
    }
    s += fmt::format("{:<6} {:>12.5g} {:>12.5g} {:>12.1f} {:>10.4g} {:>14.4g} {:>14.4g} {:>8.1f}% {:>8.1f}%\n",
                     r.precision, r.latency_s, r.energy_j, static_cast<double>(r.dram_bytes) / (1 << 20), r.tops_per_w,
                     r.operational_g, r.per_inference_g, saving(base->energy_j, r.energy_j),
                     saving(base->per_inference_g, r.per_inference_g));
  }
  if (base) s += fmt::format("savings are relative to {}, the first precision that ran\n", base->precision);
  return s;
}

std::string precision_study_json(const std::vector<PrecisionRun>& runs, const std::string& command_line) {
  const PrecisionRun* base = nullptr;
  for (const auto& r : runs)
    if (r.ok && !base) base = &r;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : runs) {
    if (!r.ok) {
      list.push_back({{"precision", r.precision}, {"ok", false}, {"error", r.error}});
      continue;
    }
    nlohmann::json j = r.result;
    j["precision"] = r.precision;
    j["ok"] = true;
    j["dram_bytes"] = r.dram_bytes;
    j["energy_saved_fraction"] = saving(base->energy_j, r.energy_j) / 100;
    j["carbon_saved_fraction"] = saving(base->per_inference_g, r.per_inference_g) / 100;
    list.push_back(std::move(j));
  }
  nlohmann::json doc = {{"catsim_version", catsim_version()},
                        {"command_line", command_line},
                        {"baseline", base ? nlohmann::json(base->precision) : nlohmann::json(nullptr)},
                        {"runs", list}};
  return doc.dump(2) + "\n";
}

}  // namespace catsim
