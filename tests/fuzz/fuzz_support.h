#pragma once
// Shared by the fuzz targets: run one input through a parser the way the command line does, and abort
// (a finding) on anything but success or a one-line input error: a crash, another exception, a multi-line
// message, or a number that is not finite.

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>

#include "arch/checked_math.h"
#include "arch/config/error.h"

namespace catsim::fuzz {

// A per-process scratch file holding the input (the parsers read files, as the command line does).
inline std::string scratch_file(const char* ext, const std::uint8_t* data, std::size_t size) {
  const std::string path = "/tmp/catsim_fuzz_" + std::to_string(::getpid()) + ext;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                static_cast<std::streamsize>(size));
  return path;
}

[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "catsim fuzz finding: %s\n", what.c_str());
  std::abort();
}

inline void require_finite(double v, const char* name) {
  if (!std::isfinite(v) || v < 0) finding(std::string(name) + " = " + std::to_string(v));
}

// Runs `work`; input errors must be one line, anything else that escapes is a finding.
inline void expect_clean(const std::function<void()>& work) {
  try {
    work();
  } catch (const ConfigError& e) {
    if (std::string(e.what()).find('\n') != std::string::npos) finding(std::string("multi-line error: ") + e.what());
  } catch (const OverflowError& e) {
    if (std::string(e.what()).find('\n') != std::string::npos) finding(std::string("multi-line error: ") + e.what());
  } catch (const std::exception& e) {
    finding(std::string("unexpected exception: ") + e.what());
  }
}

}  // namespace catsim::fuzz
