#include "sim/run/decode_sampling.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace catsim {
namespace {

constexpr std::int64_t kInitialIntervals = 8;

double lerp(double a, double b, double t) { return a + (b - a) * t; }

StepCost lerp(const StepCost& a, const StepCost& b, double t) {
  return {lerp(a.latency_s, b.latency_s, t), lerp(a.energy_j, b.energy_j, t)};
}

bool close(double predicted, double actual, double tolerance) {
  return std::abs(predicted - actual) <= tolerance * std::abs(actual);
}

// Simulated points by kv_len, each simulated once; refines an interval until its midpoint lies on the
// straight line between its ends, so points gather where the cost bends or jumps.
class Sampler {
 public:
  Sampler(const std::function<StepCost(std::int64_t)>& simulate, double tolerance)
      : m_simulate(simulate), m_tolerance(tolerance) {}

  const StepCost& at(std::int64_t kv) {
    auto it = m_points.find(kv);
    if (it == m_points.end()) it = m_points.emplace(kv, m_simulate(kv)).first;
    return it->second;
  }

  void refine(std::int64_t a, std::int64_t b) {
    if (b - a < 2) return;
    const std::int64_t mid = a + (b - a) / 2;
    const StepCost ca = at(a), cb = at(b), cm = at(mid);
    const StepCost line = lerp(ca, cb, static_cast<double>(mid - a) / static_cast<double>(b - a));
    if (close(line.latency_s, cm.latency_s, m_tolerance) && close(line.energy_j, cm.energy_j, m_tolerance)) return;
    refine(a, mid);
    refine(mid, b);
  }

  std::vector<DecodeSample> samples() const {
    std::vector<DecodeSample> out;
    for (const auto& [kv, cost] : m_points) out.push_back({kv, cost});
    return out;
  }

 private:
  const std::function<StepCost(std::int64_t)>& m_simulate;
  double m_tolerance;
  std::map<std::int64_t, StepCost> m_points;
};

}  // namespace

std::vector<DecodeSample> sample_decode_steps(std::int64_t first_kv, std::int64_t last_kv,
                                              const std::function<StepCost(std::int64_t)>& simulate, bool every_step,
                                              double tolerance) {
  if (first_kv < 1 || last_kv < first_kv) throw std::invalid_argument("sample_decode_steps: empty kv_len range");
  Sampler s(simulate, tolerance);
  const std::int64_t span = last_kv - first_kv;
  if (every_step || span <= 2 * kInitialIntervals) {
    for (std::int64_t kv = first_kv; kv <= last_kv; ++kv) s.at(kv);
    return s.samples();
  }
  std::vector<std::int64_t> grid;
  for (std::int64_t i = 0; i <= kInitialIntervals; ++i) grid.push_back(first_kv + span * i / kInitialIntervals);
  for (std::int64_t kv : grid) s.at(kv);
  for (std::size_t i = 0; i + 1 < grid.size(); ++i) s.refine(grid[i], grid[i + 1]);
  return s.samples();
}

StepCost interpolate_step(const std::vector<DecodeSample>& samples, std::int64_t kv_len) {
  if (samples.empty()) throw std::invalid_argument("interpolate_step: no samples");
  auto hi = std::lower_bound(samples.begin(), samples.end(), kv_len,
                             [](const DecodeSample& s, std::int64_t kv) { return s.kv_len < kv; });
  if (hi == samples.end()) return samples.back().cost;
  if (hi->kv_len == kv_len || hi == samples.begin()) return hi->cost;
  auto lo = std::prev(hi);
  return lerp(lo->cost, hi->cost,
              static_cast<double>(kv_len - lo->kv_len) / static_cast<double>(hi->kv_len - lo->kv_len));
}

}  // namespace catsim
