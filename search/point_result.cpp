#include "search/point_result.h"

namespace catsim {
namespace {

void put(nlohmann::json& j, const char* key, const std::optional<double>& v) {
  j[key] = v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::optional<double> get(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<double>();
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
  PointResult r;
  r.status = j.value("status", "failed");
  r.stage = j.value("stage", "");
  r.reason = j.value("reason", "");
  r.feasible = j.value("feasible", false);
  r.accuracy_source = j.value("accuracy_source", "none");
  r.bound = j.value("bound", "");
  r.wall_s = j.value("wall_s", 0.0);
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

}  // namespace catsim
