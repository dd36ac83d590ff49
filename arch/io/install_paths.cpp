#include "arch/io/install_paths.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <system_error>

#include "arch/config/error.h"

namespace catsim {
namespace {

namespace fs = std::filesystem;

// `relative` to the directory of the executable `exe`, normalized; empty when the executable is unknown.
fs::path beside(const fs::path& exe, const fs::path& relative) {
  return exe.empty() ? fs::path() : (exe.parent_path() / relative).lexically_normal();
}

// A data directory holds at least the tech tables and the regions.
bool holds_data(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir / "tech", ec) && fs::is_regular_file(dir / "regions.yaml", ec);
}

// Whether `exe` lies inside the build tree this binary was configured in.
bool in_build_tree(const fs::path& exe) {
  std::error_code ec;
  const fs::path build = fs::weakly_canonical(CATSIM_BUILD_DIR, ec);
  if (ec || build.empty()) return false;
  const fs::path rel = exe.lexically_relative(build);
  return !rel.empty() && *rel.begin() != "..";
}

DataDir locate_data_dir() {
  if (const char* env = std::getenv("CATSIM_DATA_DIR"); env && *env) {
    if (!holds_data(env))
      throw ConfigError({"environment", 0, 0}, "CATSIM_DATA_DIR",
                        std::string(env) + " holds no catsim data (expected tech/ and regions.yaml in it)");
    return {env, "CATSIM_DATA_DIR"};
  }
  const fs::path exe = executable_path();
  // from bin/catsim, or from libexec/catsim/catsim-search
  const fs::path installed = beside(exe, "../share/catsim"), from_libexec = beside(exe, "../../share/catsim");
  for (const fs::path& p : {installed, from_libexec})
    if (!p.empty() && holds_data(p)) return {p, "installed"};
  if (!exe.empty() && in_build_tree(exe) && holds_data(CATSIM_SOURCE_DATA_DIR))
    return {CATSIM_SOURCE_DATA_DIR, "build tree"};
  throw ConfigError({"environment", 0, 0}, "CATSIM_DATA_DIR",
                    "cannot find catsim's data (tech tables, presets): not in " +
                        (installed.empty() ? std::string("<unknown executable>/../share/catsim") : installed.string()) +
                        "; install catsim (cmake --install) or set CATSIM_DATA_DIR to its configs/ directory");
}

fs::path& executable_override() {
  static fs::path exe;
  return exe;
}

}  // namespace

void set_executable_path(const fs::path& exe) { executable_override() = exe.lexically_normal(); }

fs::path executable_path() {
  if (!executable_override().empty()) return executable_override();
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : p;
}

const DataDir& find_data_dir() {
  static const DataDir dir = locate_data_dir();
  return dir;
}

fs::path installed_part(const std::string& name, const std::string& install_dir) {
  const fs::path exe = executable_path();
  const fs::path here = beside(exe, name), installed = beside(exe, fs::path("..") / install_dir / name);
  for (const fs::path& p : {here, installed})
    if (!p.empty() && ::access(p.c_str(), R_OK) == 0) return p;
  throw ConfigError({"installation", 0, 0}, name,
                    "not found at " + here.string() + " or " + installed.string() +
                        " (a partial install? cmake --install puts it in " + install_dir + "/)");
}

void* installed_module_entry(const std::string& library, const char* symbol, const std::string& what) {
  const std::string path = installed_part(library, "lib/catsim").string();
  void* module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  const char* problem = module ? nullptr : ::dlerror();
  void* entry = module ? ::dlsym(module, symbol) : nullptr;
  if (!entry)
    throw ConfigError({"installation", 0, 0}, library,
                      "cannot load the " + what + " " + path + ": " + (problem ? problem : "it has no " + std::string(symbol)));
  return entry;
}

}  // namespace catsim
