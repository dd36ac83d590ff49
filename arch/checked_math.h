#pragma once
// Overflow-checked arithmetic for sizes, MACs, bytes and cycles, and checked float-to-integer conversion.
// A result beyond range throws OverflowError naming what was computed; apps/ reports it as bad input (exit 2).

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

namespace catsim {

// An input so large that a derived quantity does not fit its integer type. The message names the quantity.
class OverflowError : public std::runtime_error {
 public:
  explicit OverflowError(const std::string& what) : std::runtime_error(what) {}
};

namespace detail {
[[noreturn]] inline void overflow(std::string_view what, std::string_view detail) {
  throw OverflowError(std::string(what) + ": " + std::string(detail));
}
}  // namespace detail

// a * b for unsigned 64-bit counts; throws naming `what` when the product exceeds 2^64 - 1.
inline std::uint64_t mul_u64(std::uint64_t a, std::uint64_t b, std::string_view what) {
  std::uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r))
    detail::overflow(what, std::to_string(a) + " x " + std::to_string(b) + " exceeds 2^64 - 1");
  return r;
}

inline std::uint64_t add_u64(std::uint64_t a, std::uint64_t b, std::string_view what) {
  std::uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r))
    detail::overflow(what, std::to_string(a) + " + " + std::to_string(b) + " exceeds 2^64 - 1");
  return r;
}

// a * b for signed 64-bit sizes; throws when the product leaves [-2^63, 2^63 - 1].
inline std::int64_t mul_i64(std::int64_t a, std::int64_t b, std::string_view what) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r))
    detail::overflow(what, std::to_string(a) + " x " + std::to_string(b) + " exceeds 2^63 - 1");
  return r;
}

inline std::int64_t add_i64(std::int64_t a, std::int64_t b, std::string_view what) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r))
    detail::overflow(what, std::to_string(a) + " + " + std::to_string(b) + " exceeds 2^63 - 1");
  return r;
}

// The product of non-negative sizes as an unsigned count, e.g. product_u64("MACs of L0.q_proj", m, k, n).
template <class... T>
std::uint64_t product_u64(std::string_view what, T... factors) {
  std::uint64_t r = 1;
  ((r = mul_u64(r, static_cast<std::uint64_t>(factors), what)), ...);
  return r;
}

// Rounds a finite, non-negative double up to an integer count; throws when it is not finite, negative
// or >= 2^64 (a float-to-integer conversion out of range is undefined behaviour in C++).
inline std::uint64_t ceil_to_u64(double x, std::string_view what) {
  if (!std::isfinite(x) || x < 0) detail::overflow(what, "is not a finite non-negative number");
  const double c = std::ceil(x);
  if (c >= 18446744073709551616.0) detail::overflow(what, "exceeds 2^64 - 1");
  return static_cast<std::uint64_t>(c);
}

// Narrows a 64-bit value to int (or any smaller integer type) after checking it fits.
template <class To = int>
To narrow(std::int64_t v, std::string_view what) {
  if (v < static_cast<std::int64_t>(std::numeric_limits<To>::min()) ||
      v > static_cast<std::int64_t>(std::numeric_limits<To>::max()))
    detail::overflow(what, std::to_string(v) + " does not fit a " + std::to_string(sizeof(To) * 8) + "-bit integer");
  return static_cast<To>(v);
}

}  // namespace catsim
