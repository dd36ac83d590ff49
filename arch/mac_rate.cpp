#include "arch/mac_rate.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace catsim {
namespace {

constexpr double kMaxRateFactor = 1 << 20;  // beyond this a "rate" is a typo, not an array

// Nearest integer to x if x is within a relative 1e-9 of it (1/0.2 is not exactly 5 in binary).
bool near_integer(double x, double& rounded) {
  rounded = std::round(x);
  return std::abs(x - rounded) <= 1e-9 * std::max(1.0, std::abs(x));
}

}  // namespace

bool valid_mac_rate(double p) {
  if (!std::isfinite(p) || p <= 0 || p > kMaxRateFactor) return false;
  double rounded = 0;
  if (p >= 1) return near_integer(p, rounded);
  return near_integer(1 / p, rounded) && rounded >= 2 && rounded <= kMaxRateFactor;
}

MacRate mac_rate_factors(double p) {
  if (!valid_mac_rate(p))
    throw std::invalid_argument(
        "MACs per PE per cycle must be an integer >= 1 or 1/s for an integer s >= 2, got " +
        std::to_string(p));
  double rounded = 0;
  if (p >= 1) {
    near_integer(p, rounded);
    return {static_cast<std::int64_t>(rounded), 1};
  }
  near_integer(1 / p, rounded);
  return {1, static_cast<std::int64_t>(rounded)};
}

}  // namespace catsim
