#include "api/sweep.h"

#include <fmt/format.h>
#include <unistd.h>

#include "api/input_files.h"
#include "api/search_evaluator.h"
#include "arch/config/error.h"
#include "arch/config/overrides.h"
#include "search/eval_pool.h"
#include "search/progress.h"
#include "search/typed_value.h"

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

// The metric columns of a row, in order: name and value (absent when the point did not get that far).
std::vector<std::pair<const char*, std::optional<double>>> metrics(const PointResult& r) {
  std::optional<double> tops_per_w;
  if (r.tops && r.power_w && *r.power_w > 0) tops_per_w = *r.tops / *r.power_w;
  return {{"latency_s", r.latency_s},
          {"energy_j", r.energy_j},
          {"power_w", r.power_w},
          {"tops_per_w", tops_per_w},
          {"peak_tops", r.tops},
          {"area_mm2", r.area_mm2},
          {"carbon_total_g", r.carbon_total_g},
          {"carbon_operational_g", r.carbon_operational_g},
          {"carbon_embodied_g", r.carbon_embodied_g},
          {"array_utilization", r.array_utilization}};
}

}  // namespace

Sweep::Sweep(const SweepRequest& request) : m_request(request) {
  const DesignInputs files = resolve_design_files(request.design);
  check_argument_order(files.arch, files.model);  // before any point runs
  m_space.arch_file = files.arch;
  m_space.model_file = files.model;
  m_space.shapes = ShapeList::rows({{}});
  m_space.fixed = parse_overrides(request.design.set);
  m_space.fidelity = request.fidelity;
  const BaseFiles base{m_space.arch_file, m_space.model_file, m_space.fixed};
  for (const auto& v : request.vary) m_space.hardware.push_back(parse_vary(v, base));
  if (m_space.hardware_points() > 1e6) throw ConfigError({"--vary", 0, 0}, "--vary", "more than a million points");
}

std::uint64_t Sweep::points() const { return static_cast<std::uint64_t>(m_space.hardware_points()); }

std::vector<std::pair<std::string, std::string>> Sweep::values_at(std::uint64_t i) const {
  std::vector<std::pair<std::string, std::string>> out;
  const Genes g = genes_at(m_space, i);
  for (std::size_t k = 0; k < m_space.hardware.size(); ++k)
    out.emplace_back(m_space.hardware[k].path, m_space.hardware[k].values[static_cast<std::size_t>(g[k])]);
  return out;
}

std::vector<EvalPool::Job> Sweep::jobs() const {
  std::vector<EvalPool::Job> jobs;
  for (std::uint64_t i = 0; i < points(); ++i) {
    std::vector<Override> ov = m_space.fixed;  // the --set values, then the point's (which win)
    for (const auto& [path, value] : values_at(i)) {
      const bool model = path.rfind("model.", 0) == 0;
      ov.push_back({model ? "model" : "arch", path.substr(model ? 6 : 5), value});
    }
    jobs.push_back([this, ov] { return to_json(evaluate_search_point(m_space, ov)).dump(); });
  }
  return jobs;
}

Sweep::Stream::Stream(const Sweep& sweep)
    : m_pool(EvalPool(sweep.m_request.workers, sweep.m_request.timeout_s), sweep.jobs()) {}

std::optional<std::pair<std::uint64_t, PointResult>> Sweep::Stream::next() {
  const auto done = m_pool.next();
  if (!done) return std::nullopt;
  return std::make_pair(static_cast<std::uint64_t>(done->first), point_result_of_worker(done->second));
}

std::vector<PointResult> Sweep::run(const std::function<void(std::uint64_t, const PointResult&)>& on_point) const {
  std::vector<PointResult> results(points());
  Stream stream(*this);
  while (auto done = stream.next()) {
    results[done->first] = std::move(done->second);
    if (on_point) on_point(done->first, results[done->first]);
  }
  return results;
}

std::vector<PointResult> Sweep::run(bool progress) const {
  Progress line(progress, ::isatty(STDERR_FILENO) != 0, 10, "sweep");
  ProgressState state;
  state.total = static_cast<std::int64_t>(points());
  state.has_front = false;
  std::vector<PointResult> results = run([&](std::uint64_t, const PointResult& r) {
    ++state.done, ++state.evaluated_now;
    state.feasible += r.status == "ok" ? 1 : 0;
    if (line.due()) line.print(state);
  });
  line.finish(state);
  return results;
}

std::string Sweep::csv(const std::vector<PointResult>& results) const {
  std::string text;
  for (const auto& p : m_space.hardware) text += p.path + ",";
  text += "status";
  for (const auto& [name, value] : metrics(PointResult{})) text += std::string(",") + name;
  text += ",bound,reason\n";
  for (std::uint64_t i = 0; i < results.size(); ++i) {
    const PointResult& r = results[i];
    for (const auto& [path, value] : values_at(i)) text += value + ",";
    text += r.status;
    for (const auto& [name, value] : metrics(r)) text += "," + num(value);
    std::string reason = r.reason;
    for (auto& c : reason)
      if (c == ',' || c == '\n') c = ';';
    text += "," + r.bound + "," + reason + "\n";
  }
  return text;
}

nlohmann::json Sweep::row(std::uint64_t i, const PointResult& r) const {
  nlohmann::json row;
  for (const auto& [path, value] : values_at(i)) row[path] = typed_json(value);
  row["status"] = r.status;
  for (const auto& [name, value] : metrics(r)) row[name] = opt(value);
  row["bound"] = r.bound;
  row["reason"] = r.reason;
  return row;
}

nlohmann::json Sweep::rows(const std::vector<PointResult>& results) const {
  nlohmann::json rows = nlohmann::json::array();
  for (std::uint64_t i = 0; i < results.size(); ++i) rows.push_back(row(i, results[i]));
  return rows;
}

}  // namespace catsim
