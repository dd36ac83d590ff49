#include "api/run_metadata.h"

#include "arch/config/error.h"
#include "arch/io/install_paths.h"

namespace catsim {

std::string catsim_version() { return CATSIM_VERSION; }

std::string data_dir_description() {
  try {
    const DataDir& d = find_data_dir();
    return d.path.string() + " (" + d.source + ")";
  } catch (const ConfigError& e) {
    return "not found: " + e.problem();
  }
}

nlohmann::json data_dir_json() {
  const DataDir& d = find_data_dir();
  return {{"path", d.path.string()}, {"found_by", d.source}};
}

namespace {

std::string shell_quote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                            "-_./=:,+@%") == std::string::npos)
    return arg;
  std::string q = "'";
  for (char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

std::string command_line(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + shell_quote(argv[i]);
  return s;
}

}  // namespace catsim
