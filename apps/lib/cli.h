#pragma once
// Entry point of the `catsim` command line: dispatches to the subcommands and turns every
// ConfigError into one line on stderr with exit code 2 (internal failures: exit code 1).

namespace catsim {

// A subcommand's entry point, given argv from the command's own name on.
using CommandMain = int (*)(int argc, char** argv);

// `search` runs `catsim search`: the search itself in catsim-search (which links the optimizers), the
// hand-over to catsim-search in catsim (which starts without loading them).
int run_cli(int argc, char** argv, CommandMain search);

}  // namespace catsim
