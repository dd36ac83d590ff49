#include "api/flag_params.h"

#include <charconv>
#include <cmath>

#include "arch/config/param_reference.h"

namespace catsim {

std::optional<std::string> flag_value_problem(const Param& p, std::string_view text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  const bool whole_text = ec == std::errc() && end == text.data() + text.size();
  const std::string expected = " (expected " + std::string(p.what) + ", " + (p.lo_open ? "above " : "") +
                               reference_number(p.lo) + " to " + reference_number(p.hi) +
                               (p.unit.empty() ? "" : " " + std::string(p.unit)) + ")";
  if (!whole_text && ec != std::errc::result_out_of_range) return "'" + std::string(text) + "' is not a number" + expected;
  if (!whole_text || !std::isfinite(v) || (p.lo_open ? v <= p.lo : v < p.lo) || v > p.hi)
    return "'" + std::string(text) + "' is out of range" + expected;
  if (p.type == ParamType::integer && v != std::floor(v)) return "'" + std::string(text) + "' is not a whole number" + expected;
  return std::nullopt;
}

}  // namespace catsim
