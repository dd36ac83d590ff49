#pragma once
// Integer arithmetic shared by the tiler, the fold timing and the compiler.

#include <cstdint>

namespace catsim {

// ceil(a / b) for a >= 0, b > 0.
constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

}  // namespace catsim
