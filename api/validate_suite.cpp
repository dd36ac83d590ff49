#include "api/validate_suite.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "api/against_csv.h"
#include "api/input_files.h"
#include "api/info.h"
#include "arch/arch_parser.h"
#include "arch/config/error.h"
#include "sim/run/fork_runner.h"
#include "workloads/model_parser.h"
#include "carbon/tech/dram_devices.h"

namespace catsim {
namespace {

constexpr double kPairTimeoutS = 600;  // one pair: a cycle-level run and the estimates

std::string fraction_pct(const nlohmann::json& v) {
  return v.is_number() ? fmt::format("{:.1f}%", 100 * v.get<double>()) : "-";
}
std::string signed_pct(const nlohmann::json& v) {
  return v.is_number() ? fmt::format("{:+.1f}%", 100 * v.get<double>()) : "-";
}

}  // namespace

void find_suite_files(const std::string& dir, std::vector<std::string>& archs, std::vector<std::string>& models) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw ConfigError({"command line", 0, 0}, "--suite", dir + " is not a directory");
  for (fs::recursive_directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string path = it->path().string(), ext = it->path().extension().string();
    if (ext != ".yaml" && ext != ".yml" && ext != ".json") continue;
    if (ext != ".json" && looks_like_arch(path)) archs.push_back(path);
    else if (looks_like_model(path)) models.push_back(path);
  }
  if (ec) throw ConfigError({"command line", 0, 0}, "--suite", dir + ": cannot list: " + ec.message());
  std::sort(archs.begin(), archs.end());
  std::sort(models.begin(), models.end());
  if (archs.empty() || models.empty())
    throw ConfigError({"command line", 0, 0}, "--suite",
                      fmt::format("{} holds {} arch and {} model files (expected at least one of each)", dir,
                                  archs.size(), models.size()));
}

nlohmann::json validation_json(const std::string& arch, const std::string& model, const std::vector<Comparison>& cs) {
  nlohmann::json j = {{"arch", arch}, {"model", model}};
  if (!cs.empty()) j.update(to_json(cs.front()));
  nlohmann::json all = nlohmann::json::array();
  for (const auto& c : cs) all.push_back(to_json(c));
  j["comparisons"] = all;
  return j;
}

std::vector<Comparison> validate_pair(const ArchSpec& arch, const ModelSpec& model,
                                      const std::vector<Estimator>& estimators, const std::string& against) {
  if (model.workload.phase == Phase::generate)
    throw ConfigError({"command line", 0, 0}, "validate",
                      "compares one prefill or decode pass; " + model.name + " has phase: generate");
  validate_energy_inputs(arch);
  // Everything that can reject the input runs before SystemC does: the estimates and the --against file.
  std::vector<Evaluation> estimates;
  for (Estimator e : estimators)
    estimates.push_back(evaluate_design(arch, model, e == Estimator::roofline ? Fidelity::roofline : Fidelity::sequential));
  std::optional<AgainstFile> file;
  if (!against.empty()) {
    std::vector<std::string> names;
    for (const Op& op : lower(model).ops) names.push_back(op.name);
    file = read_against(against, names, arch.clock_mhz, model);
  }
  const Evaluation run = evaluate_design(arch, model, Fidelity::cycle);
  std::vector<Comparison> out;
  if (file) {
    Comparison c = compare(arch, run, file->scalesim ? "scalesim" : "user", file->rows, std::nullopt);
    c.unknown_ops = std::move(file->unknown_ops);
    out.push_back(std::move(c));
  }
  for (const Evaluation& e : estimates) out.push_back(compare(arch, run, e));
  return out;
}

std::vector<SuiteRow> run_suite(const std::string& dir, const std::vector<Override>& overrides,
                                const std::vector<Estimator>& estimators) {
  std::vector<std::string> archs, models;
  find_suite_files(dir, archs, models);
  std::vector<SuiteRow> rows;
  for (const auto& a : archs)
    for (const auto& m : models) {
      SuiteRow row;
      row.arch_file = a, row.model_file = m;
      const ChildOutcome child = run_in_child(
          [&] {
            ArchSpec arch = load_arch(a, overrides);
            resolve_dram_part(arch);
            const ModelSpec model = load_model(m, overrides);
            return validation_json(arch.name, model.name, validate_pair(arch, model, estimators, "")).dump();
          },
          kPairTimeoutS);
      if (child.ok) row.summary = nlohmann::json::parse(child.payload);
      else row.error = child.error.empty() ? "run failed" : child.error;
      row.cannot_run = !child.ok && child.config_error();
      rows.push_back(std::move(row));
    }
  return rows;
}

std::string suite_text(const std::vector<SuiteRow>& rows) {
  std::string s = fmt::format("{:<26} {:<22} {:<11} {:>8} {:>9} {:>9} {:>9} {:>9}\n", "arch", "model", "estimator",
                              "MAPE", "E MAPE", "max|err|", "total", "total E");
  for (const SuiteRow& r : rows) {
    const std::string arch = std::filesystem::path(r.arch_file).stem().string();
    const std::string model = std::filesystem::path(r.model_file).stem().string();
    if (!r.error.empty()) {
      s += fmt::format("{:<26} {:<22} {}: {}\n", arch, model, r.cannot_run ? "cannot run" : "error", r.error);
      continue;
    }
    for (const auto& c : r.summary["comparisons"])
      s += fmt::format("{:<26} {:<22} {:<11} {:>8} {:>9} {:>9} {:>9} {:>9}\n", arch, model,
                       c["estimator"].get<std::string>(), fraction_pct(c["mape"]), fraction_pct(c["energy_mape"]),
                       fraction_pct(c["max_abs_error"]), signed_pct(c["total_error"]),
                       signed_pct(c["total_energy_error"]));
  }
  return s + "MAPE, E MAPE: mean |error| of the ops' latency, energy; max|err|: the largest op's; total, total E: the "
             "run's latency, energy (+: the estimate is above the cycle-level run)\n";
}

std::string suite_csv(const std::vector<SuiteRow>& rows) {
  std::string s = "arch_file,model_file,estimator,mape,energy_mape,max_abs_error,total_error,total_energy_error,error\n";
  auto num = [](const nlohmann::json& v) { return v.is_number() ? fmt::format("{:.6g}", v.get<double>()) : ""; };
  for (const SuiteRow& r : rows) {
    if (!r.error.empty()) {
      std::string msg = (r.cannot_run ? "cannot run: " : "") + r.error;
      std::replace(msg.begin(), msg.end(), ',', ';');
      std::replace(msg.begin(), msg.end(), '\n', ' ');
      s += fmt::format("{},{},,,,,,,{}\n", r.arch_file, r.model_file, msg);
      continue;
    }
    for (const auto& c : r.summary["comparisons"])
      s += fmt::format("{},{},{},{},{},{},{},{},\n", r.arch_file, r.model_file, c["estimator"].get<std::string>(),
                       num(c["mape"]), num(c["energy_mape"]), num(c["max_abs_error"]), num(c["total_error"]),
                       num(c["total_energy_error"]));
  }
  return s;
}

}  // namespace catsim
