#pragma once
// Runs one piece of work in a forked child and brings back the string it returns. SystemC allows one
// elaboration per process, so every simulation a test, benchmark, search or study runs goes through here.

#include <functional>
#include <string>

namespace catsim {

// Exit codes of the child besides 0 (work returned normally).
inline constexpr int kChildWorkThrew = 1;    // work() threw; payload of the pipe is the exception message
inline constexpr int kChildConfigError = 2;  // work() threw ConfigError or OverflowError (bad input, as in the CLI)
inline constexpr int kChildPipeFailed = 3;   // the result could not be written to the parent

/// How a child run ended. `ok` means it exited 0 within the time limit; then `payload` holds what
/// work() returned. Otherwise `error` says why, and for exit codes 1 and 2 it is the exception message.
struct ChildOutcome {
  bool ok = false;
  int exit_code = -1;      // exit status when the child exited normally, else -1
  int signal = 0;          // signal that ended the child (SIGKILL after a timeout), else 0
  bool timed_out = false;  // the parent killed the child after timeout_s
  std::string payload;     // bytes the child wrote: work()'s result, or the exception message
  double wall_s = 0;       // wall-clock seconds from fork to reap
  long max_rss_kib = 0;    // the child's peak resident set (ru_maxrss, includes pages inherited at fork)
  std::string error;       // empty when ok

  bool config_error() const { return exit_code == kChildConfigError; }
};

/// Forks, runs `work` in the child and returns how it ended. `timeout_s` <= 0 waits without limit.
/// The parent must not have other threads running code that the child might need (locks held by
/// them stay locked in the child); catsim's callers fork from a single thread.
ChildOutcome run_in_child(const std::function<std::string()>& work, double timeout_s);

}  // namespace catsim
