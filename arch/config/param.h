#pragma once
// One key of a config file declared once: its type, unit, range, default and meaning. The parser reads the
// key through its declaration and `catsim help arch` prints the same declarations, so the reference, the
// range checks and the error messages cannot drift apart.

#include <optional>
#include <string>
#include <string_view>

namespace catsim {

enum class ParamType { integer, number, choice, text, flag, map };

struct Param {
  std::string_view path;  // dotted, from the file's root: "sram.kib"; an upper-case last part stands for any key
  ParamType type = ParamType::number;
  std::string_view unit = {};                // "" when the value has none
  double lo = 0, hi = 0;                     // integer and number: the allowed range, both ends included ...
  bool lo_open = false;                      // ... or lo excluded
  std::string_view choices = {};             // choice: "a|b|c"
  std::optional<double> value_default = {};  // integer, number: the value an absent key takes
  std::string_view choice_default = {};      // choice: the value an absent key takes
  std::string_view default_note = {};        // the reference's default where no plain value is (computed, data)
  std::string_view what = {};                // what the value means; error messages quote it
  std::string_view note = {};                // more for the reference
};

// The last part of a parameter's path: the key it is read by.
constexpr std::string_view param_leaf(const Param& p) {
  const std::size_t dot = p.path.rfind('.');
  return dot == std::string_view::npos ? p.path : p.path.substr(dot + 1);
}

// Looks a parameter up by path at compile time: a path that is not declared does not compile.
template <std::size_t N>
consteval const Param& find_param(const Param (&table)[N], std::string_view path) {
  for (const Param& p : table)
    if (p.path == path) return p;
  throw "no such parameter";  // not a constant expression: a compile error names the call
}

}  // namespace catsim
