#include "sim/run/fork_runner.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <thread>

#include "arch/checked_math.h"
#include "arch/config/error.h"
#include "sim/engine/accelerator.h"

namespace catsim {
namespace {

using Clock = std::chrono::steady_clock;

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The child: run the work, send its result (or the exception message) and leave without running
// the parent's atexit handlers or static destructors.
[[noreturn]] void child_main(const std::function<std::string()>& work, int fd) {
  std::signal(SIGPIPE, SIG_IGN);  // a vanished parent shows up as a failed write, not a signal
  int code = 0;
  std::string out;
  try {
    out = work();
  } catch (const ConfigError& e) {
    code = kChildConfigError;
    out = e.what();
  } catch (const OverflowError& e) {  // an input too large for 64-bit sizes: bad input, like the CLI says
    code = kChildConfigError;
    out = std::string("input too large: ") + e.what();
  } catch (const std::exception& e) {
    code = kChildWorkThrew;
    out = e.what();
  } catch (...) {
    code = kChildWorkThrew;
    out = "unknown exception";
  }
  if (!write_all(fd, out) && code == 0) code = kChildPipeFailed;
  std::fflush(nullptr);
  ::_exit(code);
}

// Milliseconds poll() may wait before `deadline`; -1 without a deadline.
int poll_timeout_ms(Clock::time_point deadline) {
  if (deadline == Clock::time_point::max()) return -1;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

// Reads `fd` into `out` until end of file (true) or the deadline (false).
bool read_until_eof(int fd, Clock::time_point deadline, std::string& out) {
  char buf[1 << 16];
  for (;;) {
    if (Clock::now() >= deadline) return false;
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, poll_timeout_ms(deadline));
    if (r < 0 && errno != EINTR) return true;  // cannot wait on the pipe: fall through to reaping
    if (r <= 0) continue;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

enum class Reaped { exited, killed, lost };

// Waits for `pid` to end, killing it if it still runs at the deadline. `lost`: someone else reaped it
// (SIGCHLD ignored), so its status and usage are unknown.
Reaped reap(pid_t pid, Clock::time_point deadline, int& status, rusage& usage) {
  auto pause = std::chrono::microseconds(20);
  for (;;) {
    const pid_t r = ::wait4(pid, &status, WNOHANG, &usage);
    if (r == pid) return Reaped::exited;
    if (r < 0 && errno != EINTR) return Reaped::lost;
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(pause);  // the child closed the pipe, so it is normally about to exit
    pause = std::min(pause * 2, std::chrono::microseconds(5000));
  }
  ::kill(pid, SIGKILL);
  while (::wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) return Reaped::lost;
  }
  return Reaped::killed;
}

}  // namespace

void describe_exit(ChildOutcome& o, int status, bool timed_out, bool lost, double timeout_s) {
  o.timed_out = timed_out;
  if (!lost && WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
  if (!lost && WIFSIGNALED(status)) o.signal = WTERMSIG(status);
  o.ok = !timed_out && !lost && o.exit_code == 0;
  if (o.ok) return;
  if (lost) {
    o.error = "the child's exit status was lost (is SIGCHLD ignored?)";
  } else if (timed_out) {
    o.error = fmt::format("timed out after {:g} s", timeout_s);
  } else if (o.signal != 0) {
    o.error = fmt::format("killed by signal {} ({})", o.signal, strsignal(o.signal));
  } else if (o.exit_code == kChildWorkThrew || o.exit_code == kChildConfigError) {
    o.error = o.payload;
  } else if (o.exit_code == kChildPipeFailed) {
    o.error = "could not send the result to the parent";
  } else {
    o.error = fmt::format("exited with code {}", o.exit_code);
  }
}

ForkedChild fork_child(const std::function<std::string()>& work, const std::vector<int>& inherited, std::string& error) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    error = std::string("pipe failed: ") + std::strerror(errno);
    return {};
  }
  std::cout.flush();
  std::fflush(nullptr);  // buffered output would otherwise be written twice
  preload_engine();      // loaded once here rather than in every child
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    error = std::string("fork failed: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return {};
  }
  if (pid == 0) {
    // Dies with its parent (catsim forks from its main thread only): a search killed with SIGKILL leaves no
    // worker running its point to the end. A parent gone before this line is caught by the pid check.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(kChildPipeFailed);
    // Ctrl-C and SIGTERM end a child as they end any program, whatever handler its parent installed (a
    // search's stop request, Python's KeyboardInterrupt): nobody in the child would read the parent's flag.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    ::close(fds[0]);
    for (int fd : inherited) ::close(fd);
    child_main(work, fds[1]);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

ChildOutcome run_in_child(const std::function<std::string()>& work, double timeout_s) {
  ChildOutcome o;
  const Clock::time_point start = Clock::now();
  const ForkedChild child = fork_child(work, {}, o.error);
  if (child.pid < 0) return o;
  const Clock::time_point deadline =
      timeout_s > 0
          ? start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s))
          : Clock::time_point::max();
  // (1) read until the child closes the pipe; (2) reap it, at once if the time is already up.
  const bool closed = read_until_eof(child.fd, deadline, o.payload);
  ::close(child.fd);
  int status = 0;
  rusage usage{};
  const Reaped how = reap(child.pid, closed ? deadline : start, status, usage);
  o.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  o.max_rss_kib = usage.ru_maxrss;
  // An open pipe at the deadline or a kill: either way the payload may be incomplete.
  describe_exit(o, status, !closed || how == Reaped::killed, how == Reaped::lost, timeout_s);
  return o;
}

}  // namespace catsim
