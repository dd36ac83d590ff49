#pragma once
// Runs the built catsim binary in a child process and captures its exit code, stdout and stderr.

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace catsim::test {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::filesystem::path scratch_dir() {
  auto d = std::filesystem::temp_directory_path() / ("catsim_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

inline std::string write_file(const std::string& name, const std::string& text) {
  auto p = scratch_dir() / name;
  std::ofstream(p) << text;
  return p.string();
}

// `err` without the notes AddressSanitizer prints in a sanitized build when a SystemC child switches stacks
// ("==PID==WARNING: ASan is ignoring requested __asan_handle_no_return" and its two lines): catsim's own lines.
inline std::string without_sanitizer_notes(const std::string& err) {
  std::istringstream in(err);
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind("==", 0) != 0 && line != "False positive error reports may follow" &&
        line.rfind("For details see https://github.com/google/sanitizers/issues/189", 0) != 0)
      out += line + "\n";
  return out;
}

inline RunResult run_catsim(const std::string& args) {
  auto d = scratch_dir();
  std::string out = (d / "stdout.txt").string(), err = (d / "stderr.txt").string();
  std::string cmd = std::string(CATSIM_BINARY) + " " + args + " >" + out + " 2>" + err;
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace catsim::test
