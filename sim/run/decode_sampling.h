#pragma once
// Which decode steps of a generation to simulate. A step's cost moves smoothly with kv_len except where the
// tiling changes, so a few simulated points, refined where linear interpolation misses, stand for all of
// them; the interpolated total is checked against simulating every step in the tests.

#include <cstdint>
#include <functional>
#include <vector>

namespace catsim {

struct StepCost {
  double latency_s = 0;
  double energy_j = 0;
};

struct DecodeSample {
  std::int64_t kv_len = 0;
  StepCost cost;
};

// Simulated points from first_kv to last_kv (both included), sorted by kv_len. `every_step` simulates all;
// otherwise 9 evenly spaced points, then each interval's midpoint, splitting an interval again while its
// midpoint's latency or energy differs from the straight line between its ends by more than `tolerance`
// (a fraction of the simulated value).
std::vector<DecodeSample> sample_decode_steps(std::int64_t first_kv, std::int64_t last_kv,
                                              const std::function<StepCost(std::int64_t)>& simulate, bool every_step,
                                              double tolerance);

// The cost at kv_len, linear between the neighbouring samples (exact at a sample).
StepCost interpolate_step(const std::vector<DecodeSample>& samples, std::int64_t kv_len);

}  // namespace catsim
