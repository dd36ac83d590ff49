#include "search/eval_pool.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "arch/checked_math.h"
#include "arch/config/error.h"

namespace catsim {
namespace {

using Clock = std::chrono::steady_clock;

struct Running {
  std::size_t index;
  pid_t pid;
  int fd;
  Clock::time_point start;
  std::string payload;
  bool eof = false;
};

[[noreturn]] void child_main(const EvalPool::Job& job, int fd) {
  std::signal(SIGPIPE, SIG_IGN);
  int code = 0;
  std::string out;
  try {
    out = job();
  } catch (const ConfigError& e) {
    code = kChildConfigError;
    out = e.what();
  } catch (const OverflowError& e) {
    code = kChildConfigError;
    out = std::string("input too large: ") + e.what();
  } catch (const std::exception& e) {
    code = kChildWorkThrew;
    out = e.what();
  } catch (...) {
    code = kChildWorkThrew;
    out = "unknown exception";
  }
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (code == 0) code = kChildPipeFailed;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  ::_exit(code);
}

bool start_job(const EvalPool::Job& job, std::size_t index, std::vector<Running>& running, ChildOutcome& failed) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    failed.error = std::string("pipe failed: ") + std::strerror(errno);
    return false;
  }
  std::cout.flush();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    failed.error = std::string("fork failed: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return false;
  }
  if (pid == 0) {
    ::close(fds[0]);
    for (const auto& r : running) ::close(r.fd);  // siblings' pipes are not this child's business
    child_main(job, fds[1]);
  }
  ::close(fds[1]);
  running.push_back({index, pid, fds[0], Clock::now(), {}, false});
  return true;
}

// Reaps `r` (killing it first when `kill_it`) and describes how it ended.
ChildOutcome finish(Running& r, bool kill_it, double timeout_s) {
  ChildOutcome o;
  o.payload = std::move(r.payload);
  if (kill_it) ::kill(r.pid, SIGKILL);
  int status = 0;
  rusage usage{};
  while (::wait4(r.pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  ::close(r.fd);
  o.wall_s = std::chrono::duration<double>(Clock::now() - r.start).count();
  o.max_rss_kib = usage.ru_maxrss;
  o.timed_out = kill_it;
  if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
  o.ok = !kill_it && o.exit_code == 0;
  if (o.ok) return o;
  if (kill_it) o.error = fmt::format("timed out after {:g} s", timeout_s);
  else if (o.signal != 0) o.error = fmt::format("killed by signal {} ({})", o.signal, strsignal(o.signal));
  else if (o.exit_code == kChildWorkThrew || o.exit_code == kChildConfigError) o.error = o.payload;
  else if (o.exit_code == kChildPipeFailed) o.error = "could not send the result to the parent";
  else o.error = fmt::format("exited with code {}", o.exit_code);
  return o;
}

}  // namespace

int online_cores() {
  const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

EvalPool::EvalPool(int workers, double timeout_s)
    : m_workers(workers > 0 ? workers : online_cores()), m_timeout_s(timeout_s) {}

void EvalPool::run(const std::vector<Job>& jobs, const OnDone& on_done) const {
  std::vector<Running> running;
  std::size_t next = 0;
  const auto timeout = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(m_timeout_s));
  while (next < jobs.size() || !running.empty()) {
    while (next < jobs.size() && static_cast<int>(running.size()) < m_workers) {
      ChildOutcome failed;
      if (!start_job(jobs[next], next, running, failed)) on_done(next, failed);
      ++next;
    }
    if (running.empty()) continue;
    std::vector<pollfd> fds;
    for (const auto& r : running) fds.push_back({r.fd, POLLIN, 0});
    ::poll(fds.data(), fds.size(), 50);
    const auto now = Clock::now();
    for (std::size_t i = 0; i < running.size();) {
      Running& r = running[i];
      if (fds[i].revents != 0) {
        char buf[1 << 14];
        const ssize_t n = ::read(r.fd, buf, sizeof buf);
        if (n > 0) r.payload.append(buf, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EINTR) r.eof = true;
      }
      const bool late = m_timeout_s > 0 && now - r.start > timeout;
      if (r.eof || late) {
        const std::size_t index = r.index;
        const ChildOutcome o = finish(r, !r.eof, m_timeout_s);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        fds.erase(fds.begin() + static_cast<std::ptrdiff_t>(i));
        on_done(index, o);
      } else {
        ++i;
      }
    }
  }
}

}  // namespace catsim
