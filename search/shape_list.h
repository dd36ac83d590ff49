#pragma once
// The model shapes of a search space: the cross product of the model parameters' values, decoded from an
// index on demand (a pruning space of two CLIP towers has a million shapes, 0.6 GB as strings), or the
// rows of an accuracy table. Shape i lists one value per model parameter, in the parameters' order.

#include <cstddef>
#include <string>
#include <vector>

namespace catsim {

class ShapeList {
 public:
  static constexpr std::size_t kMaxShapes = 10'000'000;

  ShapeList() = default;
  // Every combination, the first parameter's value outermost and the last's fastest. `values[p]` lists
  // parameter p's values; no parameters gives one empty shape. More than kMaxShapes is a caller's error
  // (std::length_error): a space file's parser refuses it with the parameter's location first.
  static ShapeList cross(std::vector<std::vector<std::string>> values);
  // Given shapes, each listing one value per parameter.
  static ShapeList rows(std::vector<std::vector<std::string>> rows);

  std::size_t size() const { return m_size; }
  std::vector<std::string> operator[](std::size_t i) const;

 private:
  std::vector<std::vector<std::string>> m_values;  // cross: per parameter
  std::vector<std::vector<std::string>> m_rows;    // rows: per shape
  bool m_cross = false;
  std::size_t m_size = 0;
};

}  // namespace catsim
