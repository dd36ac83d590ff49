#pragma once
// A parameter's value, kept as text in a space's lists and an archive's JSON row, read as the type it spells:
// an integer, a finite number, or text (a dataflow, a DRAM type). The archive's parameter columns and
// pareto.json store it so.

#include <charconv>
#include <cmath>
#include <string>
#include <variant>

#include "arch/config/whole_integer.h"

namespace catsim {

using TypedValue = std::variant<long long, double, std::string>;

inline TypedValue typed_value(const std::string& text) {
  if (const std::optional<long long> v = whole_integer(text)) return *v;
  double d = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(d)) return d;
  return text;
}

}  // namespace catsim
