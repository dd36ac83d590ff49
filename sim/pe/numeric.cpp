#include "sim/pe/numeric.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace catsim {
namespace {

// Round half to even without depending on the floating-point environment.
double round_half_even(double x) {
  const double floor = std::floor(x);
  const double diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return std::fmod(floor, 2.0) == 0 ? floor : floor + 1;
}

double round_integer(double x, double lo, double hi) {
  return std::clamp(round_half_even(x), lo, hi);
}

}  // namespace

double round_to_fp16(double x) {
  if (!std::isfinite(x) || x == 0) return x;
  constexpr double kMaxHalf = 65504.0;
  constexpr int kMantissaBits = 11;  // including the implicit leading 1
  constexpr int kMinExponent = -13;  // frexp exponent of the smallest normal, 2^-14 = 0.5 * 2^-13
  int exponent = 0;
  std::frexp(x, &exponent);  // |x| = m * 2^exponent, 0.5 <= m < 1
  const double ulp = std::ldexp(1.0, std::max(exponent, kMinExponent) - kMantissaBits);
  const double rounded = round_half_even(x / ulp) * ulp;  // scaling by a power of two is exact
  if (std::abs(rounded) > kMaxHalf) return std::copysign(std::numeric_limits<double>::infinity(), x);
  return rounded;
}

double round_to_bf16(double x) {
  const float f = static_cast<float>(x);
  if (std::isnan(f)) return f;
  std::uint32_t u = std::bit_cast<std::uint32_t>(f);
  u += 0x7FFFu + ((u >> 16) & 1u);  // carries into the exponent, and on to infinity, as RNE should
  return std::bit_cast<float>(u & 0xFFFF0000u);
}

double quantize(double x, Precision p) {
  switch (p) {
    case Precision::fp32:
      return static_cast<float>(x);
    case Precision::fp16:
      return round_to_fp16(x);
    case Precision::bf16:
      return round_to_bf16(x);
    case Precision::int8:
      return round_integer(x, -128, 127);
    case Precision::int4:
      return round_integer(x, -8, 7);
  }
  return x;
}

}  // namespace catsim
