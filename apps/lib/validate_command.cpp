#include "apps/lib/validate_command.h"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "api/design.h"
#include "api/flag_params.h"
#include "apps/lib/flag_check.h"
#include "api/output_checks.h"
#include "apps/lib/parse_error.h"
#include "api/validate_suite.h"
#include "arch/config/error.h"

namespace catsim {
namespace {

constexpr const char* kValidateUsage =
    "catsim validate ARCH MODEL [--analytic roofline|sequential|all] [--against FILE.csv] [--json] "
    "[--tolerance X] | catsim validate --suite DIR [--csv|--json]; see catsim validate --help";
const std::set<std::string> kSignedKeys = {"error", "energy_error", "total_error", "total_energy_error"};
constexpr std::size_t kLargestErrors = 5;  // ops listed with the reason of their error

std::vector<Estimator> estimators_of(const std::string& name) {
  if (name == "all") return {Estimator::roofline, Estimator::sequential};
  if (auto e = parse_estimator(name)) return {*e};
  throw ConfigError({"command line", 0, 0}, "--analytic",
                    "unknown estimator '" + name + "' (expected roofline, sequential or all)");
}

bool over(double mape, const std::optional<double>& tolerance) { return tolerance && mape > *tolerance; }

int suite_main(const std::string& dir, const std::vector<Override>& overrides, const std::vector<Estimator>& est,
               bool json, bool csv, const std::optional<double>& tolerance) {
  const std::vector<SuiteRow> rows = run_suite(dir, overrides, est);
  bool failed = false, exceeded = false;
  int cannot_run = 0;
  nlohmann::json all = nlohmann::json::array();
  for (const SuiteRow& r : rows) {
    // A pair the design cannot hold or compute is a fact about the pair, not a failure of the suite.
    failed |= !r.error.empty() && !r.cannot_run;
    cannot_run += r.cannot_run ? 1 : 0;
    nlohmann::json j = r.error.empty() ? r.summary
                                       : nlohmann::json{{"error", r.error}, {"cannot_run", r.cannot_run}};
    j["arch_file"] = r.arch_file;
    j["model_file"] = r.model_file;
    if (r.error.empty())
      for (const auto& c : r.summary["comparisons"]) exceeded |= over(c["mape"].get<double>(), tolerance);
    all.push_back(std::move(j));
  }
  if (json) {
    require_finite_output(all, "validation suite", kSignedKeys);
    std::cout << all.dump(2) << "\n";
  } else {
    std::cout << (csv ? suite_csv(rows) : suite_text(rows));
  }
  if (failed) std::fprintf(stderr, "catsim validate: some pairs failed (see their rows)\n");
  else if (cannot_run > 0)
    std::fprintf(stderr, "catsim validate: %d of %zu pairs cannot run on their arch (capacity or precision; see their rows)\n",
                 cannot_run, rows.size());
  if (exceeded) std::fprintf(stderr, "catsim validate: latency MAPE above --tolerance %g\n", *tolerance);
  return failed ? kExitBadInput : exceeded ? kExitToleranceExceeded : kExitOk;
}

}  // namespace

int validate_main(int argc, char** argv) {
  CLI::App app{"catsim validate: analytical estimates (or your own) against the cycle-level run, per op",
               "catsim validate"};
  std::string arch_file, model_file, analytic = "all", against, suite;
  bool json = false, csv = false;
  std::optional<double> tolerance;
  std::vector<std::string> sets;
  app.add_option("arch", arch_file, "arch.yaml");
  app.add_option("model", model_file, "model.yaml or a HuggingFace config.json");
  app.add_option("--analytic", analytic, "estimators to compare: roofline, sequential or all (default all)");
  app.add_option("--against", against,
                 "your per-op estimates: CSV with op, cycles or latency_s, optional energy_j (or a SCALE-Sim "
                 "COMPUTE_REPORT.csv for a GEMM-list model)");
  app.add_flag("--json", json, "print JSON: mape, energy_mape, total_error, ops[] and comparisons[]");
  app.add_flag("--csv", csv, "with --suite: print the summary rows as CSV");
  app.add_option("--tolerance", tolerance, std::string(flag_param("validate.--tolerance").what))
      ->check(declared(flag_param("validate.--tolerance")));
  app.add_option("--suite", suite, "validate every arch x model pair under this directory");
  app.add_option("--set", sets, "override a key: arch.KEY.PATH=VALUE or model.KEY.PATH=VALUE (repeatable)");
  if (const std::optional<int> code = parse_command_line(app, argc, argv, kValidateUsage)) return *code;
  if (json && csv) throw ConfigError({"command line", 0, 0}, "--json", "choose one of --json and --csv");
  const bool analytic_given = app.count("--analytic") > 0;
  std::vector<Estimator> est = estimators_of(analytic);
  const auto overrides = parse_overrides(sets);
  if (!suite.empty()) {
    if (!arch_file.empty() || !against.empty())
      throw ConfigError({"command line", 0, 0}, "--suite", "takes no ARCH, MODEL or --against (it finds the pairs)");
    return suite_main(suite, overrides, est, json, csv, tolerance);
  }
  if (arch_file.empty() || model_file.empty())
    throw ConfigError({"command line", 0, 0}, "MODEL", std::string("missing (usage: ") + kValidateUsage + ")");
  if (csv) throw ConfigError({"command line", 0, 0}, "--csv", "needs --suite (one pair prints a table or --json)");
  if (!against.empty() && !analytic_given) est.clear();  // --against alone compares the file only
  const auto [arch, model] = load_design({arch_file, model_file, sets});
  for (const auto& w : model.warnings) std::fprintf(stderr, "%s\n", w.c_str());
  const std::vector<Comparison> cs = validate_pair(arch, model, est, against);
  bool exceeded = false;
  for (const auto& c : cs) exceeded |= over(c.mape, tolerance);
  if (json) {
    const nlohmann::json j = validation_json(arch.name, model.name, cs);
    require_finite_output(j, "validation", kSignedKeys);
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "catsim validate  " << model.name << " on " << arch.name << " (cycle-level run vs estimates)\n";
    for (const auto& c : cs) std::cout << "\n" << comparison_text(c, kLargestErrors);
  }
  if (exceeded) std::fprintf(stderr, "catsim validate: latency MAPE above --tolerance %g\n", *tolerance);
  return exceeded ? kExitToleranceExceeded : kExitOk;
}

}  // namespace catsim
