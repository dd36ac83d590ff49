#include "arch/config/param_reference.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace catsim {
namespace {

std::string superscript(int exponent) {
  static const char* const kDigits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string out = exponent < 0 ? "⁻" : "";
  for (char c : std::to_string(std::abs(exponent))) out += kDigits[c - '0'];
  return out;
}

std::string grouped(long long v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

std::string range_of(const Param& p) {
  switch (p.type) {
    case ParamType::integer:
    case ParamType::number:
      if (p.lo_open) return "> " + reference_number(p.lo) + ", ≤ " + reference_number(p.hi);
      return reference_number(p.lo) + "–" + reference_number(p.hi);
    case ParamType::choice: {
      std::string out;
      std::string_view rest = p.choices;
      while (!rest.empty()) {
        const std::size_t bar = rest.find('|');
        out += (out.empty() ? "`" : ", `") + std::string(rest.substr(0, bar)) + "`";
        rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
      }
      return out;
    }
    default:
      return "—";
  }
}

std::string default_of(const Param& p) {
  if (p.value_default) return reference_number(*p.value_default);
  if (!p.choice_default.empty()) return "`" + std::string(p.choice_default) + "`";
  if (!p.default_note.empty()) return std::string(p.default_note);
  return "required";
}

// A cell must not hold the column separator; the declarations are code, so this is a programming error.
std::string cell(std::string text, const Param& p) {
  if (text.find('|') != std::string::npos)
    throw std::logic_error("parameter " + std::string(p.path) + ": a '|' in its reference text");
  return text;
}

}  // namespace

std::string reference_number(double v) {
  const std::string sign = v < 0 ? "-" : "";
  const double a = std::abs(v);
  const double exponent = std::log10(a);
  const bool power_of_ten = exponent == std::floor(exponent);
  if (a == std::floor(a) && (a < 1e7 || (!power_of_ten && a < 1e15))) return sign + grouped(static_cast<long long>(a));
  if (power_of_ten && (exponent >= 7 || exponent <= -4)) return sign + "10" + superscript(static_cast<int>(exponent));
  const double inverse = 1 / a;
  if (!power_of_ten && inverse == std::floor(inverse) && inverse < 1e7)
    return sign + "1/" + grouped(static_cast<long long>(inverse));
  return fmt::format("{}", v);
}

std::string param_reference_table(std::span<const Param> params) {
  std::string out = "| key | unit | range | default | meaning |\n|---|---|---|---|---|\n";
  for (const Param& p : params) {
    const std::string unit = p.unit.empty() ? "—" : std::string(p.unit);
    const std::string meaning(p.note.empty() ? p.what : p.note);
    out += "| `" + cell(std::string(p.path), p) + "` | " + cell(unit, p) + " | " + cell(range_of(p), p) + " | " +
           cell(default_of(p), p) + " | " + cell(meaning, p) + " |\n";
  }
  return out;
}

}  // namespace catsim
