#pragma once

#include <cstdint>
#include <vector>

namespace catsim {

// A dense row-major matrix, the input and output type of the PE model and its reference GEMM.
// Grid<Num> is the same in the array's number type, and reads zero outside its bounds (padding).
template <class Num>
struct Grid {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::vector<Num> values;  // rows * cols, row-major

  Grid() = default;
  Grid(std::int64_t r, std::int64_t c) : rows(r), cols(c), values(static_cast<std::size_t>(r * c), Num{}) {}

  Num& operator()(std::int64_t r, std::int64_t c) { return values[static_cast<std::size_t>(r * cols + c)]; }
  Num operator()(std::int64_t r, std::int64_t c) const {
    return values[static_cast<std::size_t>(r * cols + c)];
  }
  // Zero outside the matrix: the array pads partial folds and packs with zeros.
  Num padded(std::int64_t r, std::int64_t c) const { return (r < rows && c < cols) ? (*this)(r, c) : Num{}; }
};

using Matrix = Grid<double>;

}  // namespace catsim
