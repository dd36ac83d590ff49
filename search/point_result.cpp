#include "search/point_result.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <string>

namespace catsim {
namespace {

void put(nlohmann::json& j, const char* key, const std::optional<double>& v) {
  j[key] = v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// A number that must be finite and not negative: a result's metrics, times and fractions.
double measure(const nlohmann::json& v, const char* key) {
  if (!v.is_number()) throw std::invalid_argument(std::string(key) + ": not a number");
  const double x = v.get<double>();
  if (!std::isfinite(x) || x < 0) throw std::invalid_argument(std::string(key) + ": " + v.dump() + " is not a finite, non-negative value");
  return x;
}

std::optional<double> get(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return measure(j[key], key);
}

std::string text(const nlohmann::json& j, const char* key, const std::string& fallback,
                 std::initializer_list<const char*> allowed = {}) {
  if (!j.contains(key)) return fallback;
  if (!j[key].is_string()) throw std::invalid_argument(std::string(key) + ": not a string");
  const std::string v = j[key].get<std::string>();
  if (allowed.size() && std::find(allowed.begin(), allowed.end(), v) == allowed.end())
    throw std::invalid_argument(std::string(key) + ": '" + v + "' is not a known value");
  return v;
}

}  // namespace

nlohmann::json to_json(const PointResult& r) {
  nlohmann::json j = {{"status", r.status}, {"stage", r.stage},     {"reason", r.reason},
                      {"feasible", r.feasible}, {"accuracy_source", r.accuracy_source}, {"bound", r.bound},
                      {"wall_s", r.wall_s}};
  put(j, "accuracy", r.accuracy);
  put(j, "latency_s", r.latency_s);
  put(j, "energy_j", r.energy_j);
  put(j, "area_mm2", r.area_mm2);
  put(j, "tops", r.tops);
  put(j, "power_w", r.power_w);
  put(j, "carbon_total_g", r.carbon_total_g);
  put(j, "carbon_operational_g", r.carbon_operational_g);
  put(j, "carbon_embodied_g", r.carbon_embodied_g);
  put(j, "array_utilization", r.array_utilization);
  return j;
}

PointResult point_result_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw std::invalid_argument("not a result object");
  PointResult r;
  r.status = text(j, "status", "failed", {"ok", "failed", "invalid", "rejected"});
  r.stage = text(j, "stage", "");
  r.reason = text(j, "reason", "");
  if (j.contains("feasible") && !j["feasible"].is_boolean()) throw std::invalid_argument("feasible: not true or false");
  r.feasible = j.value("feasible", false);
  r.accuracy_source = text(j, "accuracy_source", "none", {"table", "table-nearest", "command", "proxy", "none"});
  r.bound = text(j, "bound", "");
  r.wall_s = j.contains("wall_s") ? measure(j["wall_s"], "wall_s") : 0.0;
  r.accuracy = get(j, "accuracy");
  r.latency_s = get(j, "latency_s");
  r.energy_j = get(j, "energy_j");
  r.area_mm2 = get(j, "area_mm2");
  r.tops = get(j, "tops");
  r.power_w = get(j, "power_w");
  r.carbon_total_g = get(j, "carbon_total_g");
  r.carbon_operational_g = get(j, "carbon_operational_g");
  r.carbon_embodied_g = get(j, "carbon_embodied_g");
  r.array_utilization = get(j, "array_utilization");
  return r;
}

PointResult point_result_of_worker(const ChildOutcome& o) {
  PointResult r;
  if (o.ok) {
    try {
      return point_result_from_json(nlohmann::json::parse(o.payload));
    } catch (const std::exception& e) {
      r.status = "failed";
      r.reason = std::string("unreadable result from the worker: ") + e.what();
    }
  } else {
    r.status = o.config_error() ? "invalid" : "failed";
    r.reason = o.error;
  }
  r.stage = "simulation";
  return r;
}

}  // namespace catsim
