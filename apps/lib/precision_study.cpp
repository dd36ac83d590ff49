#include "apps/lib/precision_study.h"

#include <fmt/format.h>

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "apps/lib/evaluation.h"
#include "apps/lib/output_checks.h"
#include "arch/arch_parser.h"
#include "arch/config/error.h"
#include "sim/run/fork_runner.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

constexpr double kChildTimeoutS = 3600;

// One run in the child: the model with all of weights, activations and KV cache at `precision`.
std::string run_one(const std::string& arch_file, const std::string& model_file, std::vector<Override> overrides,
                    const std::string& precision) {
  overrides.push_back({"model", "precision", precision});
  ArchSpec arch = load_arch(arch_file, overrides);
  ModelSpec model = load_model(model_file, overrides);
  validate_energy_inputs(arch);
  const Evaluation ev = evaluate_design(arch, model);
  const SimulationResult& r = ev.sim;
  const Report& e = ev.energy;
  nlohmann::json j{{"cycles", r.makespan_cycles},
                        {"latency_s", r.latency_s},
                        {"energy_j", e.energy_j},
                        {"tops_per_w", e.tops_per_w},
                        {"operational_g", e.carbon.operational_g},
                        {"per_inference_g", e.carbon.per_inference_g},
                        {"dram_bytes", r.counts.dram_read_bytes + r.counts.dram_write_bytes}};
  require_finite_output(j, "precision " + precision);
  return j.dump();
}

double saving(double base, double x) { return base > 0 ? 100.0 * (1.0 - x / base) : 0.0; }

}  // namespace

std::vector<PrecisionRun> run_precision_study(const std::string& arch_file, const std::string& model_file,
                                              const std::vector<Override>& overrides,
                                              const std::vector<std::string>& precisions) {
  std::vector<PrecisionRun> runs;
  for (const auto& p : precisions) {
    if (!parse_precision(p))
      throw ConfigError({"command line", 0, 0}, "--precisions",
                        "unknown precision '" + p + "' (expected a list of " + std::string(kPrecisionChoices) + ")");
    ChildOutcome child =
        run_in_child([&] { return run_one(arch_file, model_file, overrides, p); }, kChildTimeoutS);
    PrecisionRun run;
    run.precision = p;
    run.ok = child.ok;
    if (!child.ok) {
      run.error = child.error.empty() ? "run failed" : child.error;
      run.internal = !child.config_error();
    } else {
      auto j = nlohmann::json::parse(child.payload);
      run.cycles = j["cycles"];
      run.latency_s = j["latency_s"];
      run.energy_j = j["energy_j"];
      run.tops_per_w = j["tops_per_w"];
      run.operational_g = j["operational_g"];
      run.per_inference_g = j["per_inference_g"];
      run.dram_bytes = j["dram_bytes"];
    }
    runs.push_back(std::move(run));
  }
  return runs;
}

int report_precision_study(const std::vector<PrecisionRun>& runs, bool json) {
  bool any_ran = false, any_internal = false;
  for (const auto& r : runs) {
    any_ran = any_ran || r.ok;
    any_internal = any_internal || (!r.ok && r.internal);
    if (r.ok) continue;
    std::string line = r.error;
    for (char& c : line)
      if (c == '\n') c = ' ';
    std::fprintf(stderr, "catsim: --precisions %s: %s%s\n", r.precision.c_str(),
                 r.internal ? "internal error: " : "", line.c_str());
  }
  if (any_ran) std::cout << (json ? precision_study_json(runs) : precision_study_text(runs));
  return any_internal ? kExitInternal : any_ran ? kExitOk : kExitBadInput;
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

std::string precision_study_json(const std::vector<PrecisionRun>& runs) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& r : runs) {
    if (!r.ok) {
      j.push_back({{"precision", r.precision}, {"ok", false}, {"error", r.error}});
      continue;
    }
    j.push_back({{"precision", r.precision}, {"ok", true}, {"cycles", r.cycles}, {"latency_s", r.latency_s},
                 {"energy_j", r.energy_j}, {"tops_per_w", r.tops_per_w}, {"dram_bytes", r.dram_bytes},
                 {"carbon", {{"operational_g", r.operational_g}, {"per_inference_g", r.per_inference_g}}}});
  }
  return j.dump(2) + "\n";
}

}  // namespace catsim
