#include "search/driver/outputs.h"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "arch/io/atomic_file.h"
#include "search/driver/hypervolume.h"
#include "search/typed_value.h"

namespace catsim {
namespace {

std::string num(const std::optional<double>& v) { return v ? fmt::format("{:.9g}", *v) : ""; }

std::string quoted(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c == '\n' ? ' ' : c);
  return q + "\"";
}

const std::vector<std::string> kExtraColumns = {"id", "stage", "reason", "power_w", "array_utilization", "bound", "wall_s"};

nlohmann::json opt_json(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json point_json(const ArchivedPoint& p, const std::vector<std::string>& params) {
  nlohmann::json j = {{"id", p.id}};
  nlohmann::json values;
  for (std::size_t i = 0; i < params.size(); ++i) values[params[i]] = typed_json(p.values[i]);
  j["parameters"] = values;
  const auto& r = p.result;
  j["status"] = r.status;
  j["feasible"] = r.feasible;
  j["accuracy"] = opt_json(r.accuracy);
  j["accuracy_source"] = r.accuracy_source;
  j["latency_s"] = opt_json(r.latency_s);
  j["energy_j"] = opt_json(r.energy_j);
  j["area_mm2"] = opt_json(r.area_mm2);
  j["tops"] = opt_json(r.tops);
  j["power_w"] = opt_json(r.power_w);
  j["carbon_total_g"] = opt_json(r.carbon_total_g);
  j["carbon_operational_g"] = opt_json(r.carbon_operational_g);
  j["carbon_embodied_g"] = opt_json(r.carbon_embodied_g);
  return j;
}

}  // namespace

std::vector<std::string> result_columns() {
  return {"status",   "feasible", "accuracy", "accuracy_source",     "latency_s",        "energy_j",
          "area_mm2", "tops",     "carbon_total_g", "carbon_operational_g", "carbon_embodied_g"};
}

std::vector<std::string> parameter_columns(const SearchSpace& space) {
  std::vector<std::string> c;
  for (const auto& p : space.hardware) c.push_back(p.path);
  for (const auto& p : space.model) c.push_back(p.path);
  return c;
}

std::string csv_row(const ArchivedPoint& p, bool with_extras) {
  std::string row;
  for (const auto& v : p.values) row += quoted(v) + ",";
  const auto& r = p.result;
  row += fmt::format("{},{},{},{},{},{},{},{},{},{},{}", r.status, r.feasible ? "true" : "false", num(r.accuracy),
                     r.accuracy_source, num(r.latency_s), num(r.energy_j), num(r.area_mm2), num(r.tops),
                     num(r.carbon_total_g), num(r.carbon_operational_g), num(r.carbon_embodied_g));
  if (with_extras)
    row += fmt::format(",{},{},{},{},{},{},{:.3f}", p.id, r.stage, quoted(r.reason), num(r.power_w),
                       num(r.array_utilization), r.bound, r.wall_s);
  return row + "\n";
}

SearchSummary write_search_outputs(const std::string& dir, const SearchSpace& space, const Archive& archive) {
  namespace fs = std::filesystem;
  const auto points = archive.points();
  const auto params = parameter_columns(space);
  std::vector<PointResult> results;
  for (const auto& p : points) results.push_back(p.result);
  std::string header;
  for (const auto& c : params) header += quoted(c) + ",";
  for (const auto& c : result_columns()) header += c + ",";
  header.pop_back();
  std::string all = header;
  for (const auto& c : kExtraColumns) all += "," + c;
  all += "\n";
  for (const auto& p : points) all += csv_row(p, true);
  const auto front = pareto_front(space.metric, results);
  std::string pareto = header + "\n";
  nlohmann::json front_json = nlohmann::json::array();
  for (const std::size_t i : front) {
    pareto += csv_row(points[i], false);
    front_json.push_back(point_json(points[i], params));
  }
  SearchSummary sum;
  sum.points = static_cast<std::int64_t>(points.size());
  for (const auto& r : results) sum.feasible += r.feasible ? 1 : 0;
  sum.front = static_cast<std::int64_t>(front.size());
  // Hypervolume after each generation, against the final archive's reference point so values compare.
  const auto ref = hypervolume_reference(space.metric, results);
  const auto ideal = ideal_point(space.metric, results);
  nlohmann::json hv = nlohmann::json::array();
  for (const auto& g : archive.generations()) {
    std::vector<PointResult> upto;
    for (const auto& p : points)
      if (p.id <= g.last_id) upto.push_back(p.result);
    const double h = hypervolume(space.metric, upto, ref, ideal);
    sum.hypervolume_per_generation.push_back(h);
    hv.push_back({{"generation", g.generation}, {"points", g.last_id + 1}, {"hypervolume", h}});
  }
  bool proxy = false;
  for (const auto& r : results) proxy = proxy || r.accuracy_source == "proxy";
  const nlohmann::json doc = {
      {"space", space.name},
      {"metric", to_string(space.metric)},
      {"objectives", objective_names(space.metric)},
      {"accuracy_source", space.accuracy.source},
      {"accuracy_is_proxy", proxy},
      {"seed", space.seed},
      {"optimizer", space.optimizer.name},
      {"points", sum.points},
      {"feasible", sum.feasible},
      {"hypervolume_reference", ref},
      {"hypervolume_ideal", ideal},
      {"hypervolume_per_generation", hv},
      {"front", front_json}};
  write_file_atomically((fs::path(dir) / "all.csv").string(), all);
  write_file_atomically((fs::path(dir) / "pareto.csv").string(), pareto);
  write_file_atomically((fs::path(dir) / "pareto.json").string(), doc.dump(2) + "\n");
  return sum;
}

}  // namespace catsim
