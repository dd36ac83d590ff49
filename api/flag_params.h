#pragma once
// Every numeric command-line flag, declared once (type, unit, range, meaning): the commands check a flag's
// value against its declaration at full width (NaN and infinities refused) before it is narrowed, and
// `catsim help flags` prints the declarations as the reference in docs/commands.md. A path is COMMAND.--flag.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "arch/config/param.h"

namespace catsim {

inline constexpr Param kFlagParams[] = {
    {.path = "search.--workers", .type = ParamType::integer, .unit = "processes", .lo = 0, .hi = 4096,
     .default_note = "the space file's workers", .what = "worker processes (0 = one per core)",
     .note = "replaces the space file's workers; 0 = one per core"},
    {.path = "sweep.--workers", .type = ParamType::integer, .unit = "processes", .lo = 0, .hi = 4096,
     .value_default = 0, .what = "worker processes (0 = one per core)"},
    {.path = "sweep.--timeout", .unit = "s", .lo = 0, .hi = 1e7, .value_default = 0,
     .what = "seconds per point (0 = none)"},
    {.path = "validate.--tolerance", .lo = 0, .hi = 1e6, .default_note = "none",
     .what = "a latency MAPE, as a fraction, above which validate exits 3"},
    {.path = "simulate.--trace-window", .type = ParamType::integer, .unit = "cycles", .lo = 0, .hi = 1e18,
     .default_note = "the whole run", .what = "START:END, cycles overlapping which the trace keeps",
     .note = "with --trace: START:END, either end may be left out"},
};

inline std::span<const Param> flag_params() { return kFlagParams; }

// The declaration of a flag: flag_param("sweep.--timeout"); an undeclared path does not compile.
consteval const Param& flag_param(std::string_view path) { return find_param(kFlagParams, path); }

// What is wrong with `text` as a value of flag `p` (not a number, not finite, outside its range, not whole
// where p is an integer), read at full width; nullopt when it is a valid value.
std::optional<std::string> flag_value_problem(const Param& p, std::string_view text);

}  // namespace catsim
