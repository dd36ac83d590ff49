#pragma once
// A parameter's value, kept as text in a space's lists, a sweep's --vary and an archive's JSON row, read as
// the type it spells: an integer or a finite number where the whole text is one (128, 0.5, 1e3), else the
// text (int8, os). The archive's parameter columns, pareto.json and sweep rows store it so.

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <variant>

namespace catsim {

using TypedValue = std::variant<std::int64_t, double, std::string>;

inline TypedValue typed_value(const std::string& text) {
  const char* const end = text.data() + text.size();
  std::int64_t i = 0;
  if (const auto [at, ec] = std::from_chars(text.data(), end, i); ec == std::errc() && at == end) return i;
  double d = 0;
  if (const auto [at, ec] = std::from_chars(text.data(), end, d); ec == std::errc() && at == end && std::isfinite(d))
    return d;
  return text;
}

inline nlohmann::json typed_json(const std::string& text) {
  return std::visit([](const auto& v) { return nlohmann::json(v); }, typed_value(text));
}

}  // namespace catsim
