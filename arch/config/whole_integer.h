#pragma once
// The integer a whole string spells, as std::stoll reads it with every character used: the one check
// behind the text fields that are not YAML scalars (SCALE-Sim topology cells, shapes like 1x128, ranges).

#include <optional>
#include <string>

namespace catsim {

inline std::optional<long long> whole_integer(const std::string& text) {
  try {
    std::size_t used = 0;
    const long long v = std::stoll(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace catsim
