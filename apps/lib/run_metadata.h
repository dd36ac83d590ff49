#pragma once
// Identity of a run for its outputs: the catsim version and the command line that produced them.

#include <string>

namespace catsim {

std::string catsim_version();  // the CMake project version, e.g. "0.1.0"

// argv joined by spaces, each argument single-quoted when the shell would split or expand it.
std::string command_line(int argc, char** argv);

}  // namespace catsim
