#pragma once
// The reference of a config file rendered from its parameter declarations: one Markdown table row per key
// (key, unit, range, default, meaning). `catsim help arch` prints it and docs/arch-yaml.md holds a copy that a
// test keeps equal, so the documentation is the code's own.

#include <span>
#include <string>

#include "arch/config/param.h"

namespace catsim {

// A number as the reference writes it: 1,024; 10⁹; 10⁻⁶; 1/64; 2.2.
std::string reference_number(double v);

// The Markdown table of `params`, header included, one line per parameter.
std::string param_reference_table(std::span<const Param> params);

}  // namespace catsim
