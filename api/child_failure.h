#pragma once
// A run that failed in a forked child (SystemC elaborates once per process, so every simulation beyond a
// process's first runs in one): the child's one-line message and whether the input was bad (the command
// line's exit code 2) or catsim failed (a crash, a signal, a timeout: exit code 1).

#include <stdexcept>
#include <string>

namespace catsim {

struct ChildFailure : std::runtime_error {
  ChildFailure(const std::string& what, bool bad_input) : std::runtime_error(what), config(bad_input) {}
  bool config;  // bad input, not a failure inside catsim
};

}  // namespace catsim
