#pragma once
// Entry point of the `catsim` command line: dispatches to the subcommands and turns every
// ConfigError into one line on stderr with exit code 2 (internal failures: exit code 1).

namespace catsim {

int run_cli(int argc, char** argv);

}  // namespace catsim
