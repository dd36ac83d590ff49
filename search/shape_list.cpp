#include "search/shape_list.h"

#include <stdexcept>
#include <utility>

namespace catsim {

ShapeList ShapeList::cross(std::vector<std::vector<std::string>> values) {
  ShapeList s;
  s.m_cross = true;
  s.m_size = 1;
  for (const auto& v : values) {
    s.m_size *= v.size();  // no wrap: the size stays <= kMaxShapes before each step
    if (s.m_size > kMaxShapes) throw std::length_error("more than " + std::to_string(kMaxShapes) + " shapes");
  }
  s.m_values = std::move(values);
  return s;
}

ShapeList ShapeList::rows(std::vector<std::vector<std::string>> rows) {
  ShapeList s;
  s.m_size = rows.size();
  s.m_rows = std::move(rows);
  return s;
}

std::vector<std::string> ShapeList::operator[](std::size_t i) const {
  if (i >= m_size) throw std::out_of_range("shape " + std::to_string(i) + " of " + std::to_string(m_size));
  if (!m_cross) return m_rows[i];
  std::vector<std::string> shape(m_values.size());
  for (std::size_t p = m_values.size(); p-- > 0;) {
    shape[p] = m_values[p][i % m_values[p].size()];
    i /= m_values[p].size();
  }
  return shape;
}

}  // namespace catsim
