#include "search/pareto.h"

#include <algorithm>
#include <limits>

namespace catsim {
namespace {

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool strictly = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) strictly = true;
  }
  return strictly;
}

}  // namespace

std::vector<std::string> objective_names(MetricMode m) {
  switch (m) {
    case MetricMode::carbon: return {"-accuracy", "carbon_total_g"};
    case MetricMode::latency: return {"-accuracy", "latency_s"};
    case MetricMode::energy: return {"-accuracy", "carbon_operational_g"};
    case MetricMode::all: return {"-accuracy", "carbon_total_g", "latency_s"};
    case MetricMode::all_hw: return {"latency_s", "carbon_total_g"};
  }
  return {};
}

std::vector<double> objectives(MetricMode m, const PointResult& r) {
  const double acc = r.accuracy ? -*r.accuracy : 0.0;
  const double total = r.carbon_total_g.value_or(0), lat = r.latency_s.value_or(0);
  switch (m) {
    case MetricMode::carbon: return {acc, total};
    case MetricMode::latency: return {acc, lat};
    case MetricMode::energy: return {acc, r.carbon_operational_g.value_or(0)};
    case MetricMode::all: return {acc, total, lat};
    case MetricMode::all_hw: return {lat, total};
  }
  return {};
}

std::vector<std::size_t> pareto_front(MetricMode m, const std::vector<PointResult>& results) {
  // In lexicographic order a point can only be dominated by points before it, and if any point dominates
  // it so does a front member (dominance is transitive): comparing with the front found so far suffices.
  std::vector<std::pair<std::vector<double>, std::size_t>> feasible;
  for (std::size_t i = 0; i < results.size(); ++i)
    if (results[i].feasible) feasible.emplace_back(objectives(m, results[i]), i);
  std::sort(feasible.begin(), feasible.end());
  std::vector<const std::pair<std::vector<double>, std::size_t>*> front;
  for (const auto& p : feasible) {
    bool dominated = false;
    for (const auto* f : front) dominated = dominated || dominates(f->first, p.first);
    if (!dominated) front.push_back(&p);
  }
  std::vector<std::size_t> out;
  for (const auto* f : front) out.push_back(f->second);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<double> ideal_point(MetricMode m, const std::vector<PointResult>& results) {
  std::vector<double> ideal;
  for (const auto& r : results) {
    if (!r.feasible) continue;
    const auto o = objectives(m, r);
    if (ideal.empty()) ideal = o;
    for (std::size_t i = 0; i < o.size(); ++i) ideal[i] = std::min(ideal[i], o[i]);
  }
  return ideal;
}

std::vector<double> hypervolume_reference(MetricMode m, const std::vector<PointResult>& results) {
  std::vector<double> nadir;
  for (const std::size_t i : pareto_front(m, results)) {
    const auto o = objectives(m, results[i]);
    if (nadir.empty()) nadir = o;
    for (std::size_t k = 0; k < o.size(); ++k) nadir[k] = std::max(nadir[k], o[k]);
  }
  const auto ideal = ideal_point(m, results);
  for (std::size_t i = 0; i < nadir.size(); ++i) {
    const double span = nadir[i] - ideal[i];
    nadir[i] += 0.1 * span + 1e-9 * std::max(1.0, std::abs(nadir[i]));
  }
  return nadir;
}

}  // namespace catsim
