#include "apps/lib/sweep_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <iostream>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "api/input_files.h"
#include "apps/lib/flag_check.h"
#include "apps/lib/parse_error.h"
#include "api/search_evaluator.h"
#include "arch/config/error.h"
#include "arch/config/overrides.h"
#include "arch/io/atomic_file.h"
#include "search/eval_pool.h"
#include "search/progress.h"
#include "search/space.h"

namespace catsim {
namespace {

// `--vary arch.sram.kib=128:1024:x2` -> a parameter of the sweep's space.
SearchParam parse_vary(const std::string& arg, const BaseFiles& base) {
  const SourceLocation where{"--vary", 0, 0};
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size())
    throw ConfigError(where, arg, "expected KEY=a,b,c or KEY=lo:hi[:step] (step N adds, xN multiplies)");
  SearchParam p{arg.substr(0, eq), expand_values(arg.substr(eq + 1), where, arg.substr(0, eq)), where};
  if (p.path.rfind("arch.", 0) != 0 && p.path.rfind("model.", 0) != 0)
    throw ConfigError(where, p.path, "not an arch or model key (expected arch.KEY or model.KEY)");
  for (const auto& v : p.values) check_parameter_value(base, p.path, v, where);
  return p;
}

std::string num(const std::optional<double>& v) { return v ? fmt::format("{:.9g}", *v) : ""; }

nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

// A varied value as JSON: a number where the whole text is one (128, 0.5, 1e3), else the text (int8, os).
nlohmann::json json_value(const std::string& v) {
  std::int64_t i = 0;
  if (const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), i); ec == std::errc() && end == v.data() + v.size())
    return i;
  double d = 0;
  if (const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
      ec == std::errc() && end == v.data() + v.size() && std::isfinite(d))
    return d;
  return v;
}

// One row per point: the varied keys, then the summary; CSV text or a JSON array.
std::string sweep_table(const SearchSpace& s, const std::vector<PointResult>& results, bool json) {
  std::string text;
  nlohmann::json rows = nlohmann::json::array();
  if (!json) {
    for (const auto& p : s.hardware) text += p.path + ",";
    text += "status,latency_s,energy_j,area_mm2,carbon_total_g,array_utilization,bound,reason\n";
  }
  for (std::uint64_t i = 0; i < results.size(); ++i) {
    const Genes g = genes_at(s, i);
    const PointResult& r = results[i];
    nlohmann::json row;
    for (std::size_t k = 0; k < s.hardware.size(); ++k) {
      const std::string& v = s.hardware[k].values[static_cast<std::size_t>(g[k])];
      text += v + ",";
      row[s.hardware[k].path] = json_value(v);
    }
    std::string reason = r.reason;
    for (auto& c : reason)
      if (c == ',' || c == '\n') c = ';';
    text += fmt::format("{},{},{},{},{},{},{},{}\n", r.status, num(r.latency_s), num(r.energy_j), num(r.area_mm2),
                        num(r.carbon_total_g), num(r.array_utilization), r.bound, reason);
    row.update({{"status", r.status}, {"latency_s", opt(r.latency_s)}, {"energy_j", opt(r.energy_j)},
                {"area_mm2", opt(r.area_mm2)}, {"carbon_total_g", opt(r.carbon_total_g)},
                {"array_utilization", opt(r.array_utilization)}, {"bound", r.bound}, {"reason", r.reason}});
    rows.push_back(row);
  }
  return json ? rows.dump(2) + "\n" : text;
}

}  // namespace

int sweep_main(int argc, char** argv) {
  CLI::App app{"catsim sweep: simulate the cross product of varied arch/model keys", "catsim sweep"};
  std::string arch_file, model_file, out;
  std::vector<std::string> varies, sets;
  bool json = false, quiet = false;
  int workers = 0;
  double timeout_s = 300;
  app.add_option("arch", arch_file, "arch.yaml")->required();
  app.add_option("model", model_file, "model.yaml or a HuggingFace config.json")->required();
  app.add_option("--vary", varies, "KEY=a,b,c or KEY=lo:hi[:step] (step N adds, xN multiplies); repeatable")
      ->required();
  app.add_option("--set", sets, "fix a key for every point: arch.KEY=VALUE or model.KEY=VALUE (repeatable)");
  app.add_flag("--json", json, "JSON instead of CSV");
  app.add_flag("--quiet", quiet, "no progress lines on stderr");
  app.add_option("--out", out, "write the table to this file (whole or not at all) instead of stdout");
  app.add_option("--workers", workers, "worker processes (0 = cores)")->check(CLI::Range(0, 4096));
  app.add_option("--timeout", timeout_s, "seconds per point (0 = none)")->check(CLI::Range(0.0, 1e7));
  const char* usage =
      "catsim sweep ARCH MODEL --vary KEY=VALUES [--vary ...] [--set KEY=VALUE ...] [--json] [--out FILE] [--workers N]";
  if (const std::optional<int> code = parse_command_line(app, argc, argv, usage)) return *code;
  resolve_shipped_names(arch_file, model_file);
  check_argument_order(arch_file, model_file);
  SearchSpace s;
  s.arch_file = arch_file;
  s.model_file = model_file;
  s.shapes = {{}};
  s.fixed = parse_overrides(sets);
  const BaseFiles base{s.arch_file, s.model_file, s.fixed};
  for (const auto& v : varies) s.hardware.push_back(parse_vary(v, base));
  if (s.hardware_points() > 1e6) throw ConfigError({"--vary", 0, 0}, "--vary", "more than a million points");
  const auto n = static_cast<std::uint64_t>(s.hardware_points());
  std::vector<PointResult> results(n);
  std::vector<EvalPool::Job> jobs;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::vector<Override> ov;
    const Genes g = genes_at(s, i);
    for (std::size_t k = 0; k < s.hardware.size(); ++k) {
      const bool model = s.hardware[k].path.rfind("model.", 0) == 0;
      ov.push_back({model ? "model" : "arch", s.hardware[k].path.substr(model ? 6 : 5),
                    s.hardware[k].values[static_cast<std::size_t>(g[k])]});
    }
    jobs.push_back([&s, ov] { return to_json(evaluate_search_point(s, ov)).dump(); });
  }
  // Progress on stderr as points finish: a line rewritten in place on a terminal, else one every 10 s.
  Progress progress(!quiet, ::isatty(STDERR_FILENO) != 0, 10, "sweep");
  ProgressState state;
  state.total = static_cast<std::int64_t>(n);
  state.has_front = false;
  EvalPool(workers, timeout_s).run(jobs, [&](std::size_t i, const ChildOutcome& o) {
    if (o.ok) {
      try {
        results[i] = point_result_from_json(nlohmann::json::parse(o.payload));
      } catch (const std::exception& e) {
        results[i].status = "failed";
        results[i].reason = std::string("unreadable result from the worker: ") + e.what();
      }
    } else {
      results[i].status = o.config_error() ? "invalid" : "failed";
      results[i].reason = o.error;
    }
    ++state.done, ++state.evaluated_now;
    state.feasible += results[i].status == "ok" ? 1 : 0;
    if (progress.due()) progress.print(state);
  });
  progress.finish(state);
  const std::string text = sweep_table(s, results, json);
  if (out.empty()) std::cout << text;
  else write_file_atomically(out, text);
  for (const auto& r : results)
    if (r.status == "failed") return 1;
  return 0;
}

}  // namespace catsim
