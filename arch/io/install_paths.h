#pragma once
// Where this installation keeps its parts: the running executable, the shipped data (arch presets, models,
// spaces, tech tables, regions) and the helper programs. Found from the executable's own location, so an
// installed or packaged catsim runs from any directory and never reads the source tree it was built in.

#include <filesystem>
#include <string>

namespace catsim {

// The running executable (/proc/self/exe), or empty when the system does not say; or what
// set_executable_path named.
std::filesystem::path executable_path();

// Makes catsim find its parts as the executable `exe` would: the Python module, loaded into python3, names
// the catsim command of the build tree or installation it belongs to. Call before anything looks for them.
void set_executable_path(const std::filesystem::path& exe);

// The shipped data directory and how it was found.
struct DataDir {
  std::filesystem::path path;
  std::string source;  // "CATSIM_DATA_DIR", "installed" or "build tree"
};

// In order: $CATSIM_DATA_DIR when set; `<bin>/../share/catsim` beside an installed executable (from
// libexec/catsim/, `../../share/catsim`); the source tree's configs/ for an executable inside the build
// tree it was built in. Throws ConfigError saying where it looked when none holds the data (a copied
// binary, a partial install).
const DataDir& find_data_dir();

// A part of catsim beside the executable: `<bin>/NAME` (the build tree), else `<bin>/../INSTALL_DIR/NAME`
// (an install: libexec/catsim for programs, lib/catsim for the engine module). Throws ConfigError naming
// both places when neither holds it.
std::filesystem::path installed_part(const std::string& name, const std::string& install_dir);

// Loads the module `library` from lib/catsim (or the build tree) and returns its entry point `symbol`;
// throws ConfigError naming the `what` it is, its path and what went wrong.
void* installed_module_entry(const std::string& library, const char* symbol, const std::string& what);

}  // namespace catsim
