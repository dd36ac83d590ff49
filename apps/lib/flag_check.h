#pragma once
// Command-line hygiene before CLI11 parses: an unknown option is a one-line error that suggests the
// closest known one (`--jsn` -> `--json`).

#include <CLI/CLI.hpp>
#include <string>

#include "arch/config/param.h"

namespace catsim {

// Throws ConfigError at "command line" for the first argument that looks like an option `app` lacks.
void check_known_options(const CLI::App& app, int argc, char** argv, const std::string& usage_hint);

// CLI11's check of a numeric flag's value against its declaration (api/flag_params.h): at full width, NaN and
// infinities refused, before CLI11 narrows it into the option's variable.
CLI::Validator declared(const Param& p);

}  // namespace catsim
