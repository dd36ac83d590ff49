#pragma once
// Runs one piece of work in a forked child and brings back the string it returns. SystemC allows one
// elaboration per process, so every simulation a test, benchmark, search or study runs goes through here.

#include <functional>
#include <string>
#include <vector>

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

/// A child forked to run one piece of work, until it is reaped: its pid and the read end of its result pipe.
struct ForkedChild {
  int pid = -1;
  int fd = -1;
};

/// Forks a child that runs `work`, writes what it returns (or the exception message) to a pipe and exits
/// with the codes above; the child first closes `inherited` (other children's pipes). On failure pid is
/// -1 and `error` says why. The caller reads `fd` to its end, closes it and reaps the pid.
ForkedChild fork_child(const std::function<std::string()>& work, const std::vector<int>& inherited, std::string& error);

/// Fills `o`'s exit_code, signal, timed_out, ok and error from how the child ended: its wait status,
/// `timed_out` (the parent gave up on it), `lost` (its status was reaped elsewhere).
void describe_exit(ChildOutcome& o, int status, bool timed_out, bool lost, double timeout_s);

/// Forks, runs `work` in the child and returns how it ended. `timeout_s` <= 0 waits without limit.
/// The parent must not have other threads running code that the child might need (locks held by
/// them stay locked in the child); catsim's callers fork from a single thread.
ChildOutcome run_in_child(const std::function<std::string()>& work, double timeout_s);

}  // namespace catsim
