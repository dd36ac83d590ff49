#pragma once
// Command-line parse errors as one line ending in a usage hint (CLI11 prints two lines by default);
// --help still prints the full help on stdout with exit code 0.

#include <CLI/CLI.hpp>

#include <string>

namespace catsim {

// Returns the exit code: 0 for --help, kExitBadInput after printing `catsim: problem (usage: hint)`.
int report_parse_error(const CLI::App& app, const CLI::ParseError& e, const std::string& usage_hint);

}  // namespace catsim
