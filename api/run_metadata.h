#pragma once
// Identity of a run for its outputs: the catsim version, the data it read and the command line that
// produced them.

#include <nlohmann/json.hpp>
#include <string>

namespace catsim {

std::string catsim_version();  // the CMake project version, e.g. "0.1.0"

// The shipped data directory and how it was found, e.g. "/usr/share/catsim (installed)", or why none was.
std::string data_dir_description();
// {"path": ..., "found_by": "CATSIM_DATA_DIR" | "installed" | "build tree"} for a result's metadata.
nlohmann::json data_dir_json();

// argv joined by spaces, each argument single-quoted when the shell would split or expand it.
std::string command_line(int argc, char** argv);

}  // namespace catsim
