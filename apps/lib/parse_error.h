#pragma once
// Command-line parse errors as one line ending in a usage hint (CLI11 prints two lines by default);
// --help still prints the full help on stdout with exit code 0.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace catsim {

// Returns the exit code: 0 for --help, kExitBadInput after printing `catsim: problem (usage: hint)`.
int report_parse_error(const CLI::App& app, const CLI::ParseError& e, const std::string& usage_hint);

// Checks the options are known (check_known_options), then parses: the exit code when the command ends here
// (--help, or a parse error reported as above), nothing when it goes on.
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, const std::string& usage_hint);

}  // namespace catsim
