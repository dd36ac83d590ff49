#pragma once
// The element operations a vector unit performs, named as in vector.op_cycles and the energy table
// (vector_<name>_pj); an enum so that counts by kind index an array instead of a map of strings.

#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>

namespace catsim {

enum class VectorOp { add, mul, max, sum, exp, div, rsqrt, gelu, silu, tanh };

// Names by VectorOp value.
inline constexpr const char* kVectorOps[] = {"add", "mul",   "max",  "sum",  "exp",
                                             "div", "rsqrt", "gelu", "silu", "tanh"};
inline constexpr std::size_t kVectorOpCount = std::size(kVectorOps);
static_assert(static_cast<std::size_t>(VectorOp::tanh) + 1 == kVectorOpCount,
              "kVectorOps names every VectorOp");

constexpr std::string_view name_of(VectorOp op) { return kVectorOps[static_cast<std::size_t>(op)]; }

constexpr std::optional<VectorOp> parse_vector_op(std::string_view name) {
  for (std::size_t i = 0; i < kVectorOpCount; ++i)
    if (name == kVectorOps[i]) return static_cast<VectorOp>(i);
  return std::nullopt;
}

}  // namespace catsim
