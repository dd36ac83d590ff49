#include "search/eval_pool.h"

#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <csignal>

#include "search/stop_request.h"

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

bool start_job(const EvalPool::Job& job, std::size_t index, std::vector<Running>& running, ChildOutcome& failed) {
  std::vector<int> siblings;  // their pipes are not this child's business
  for (const auto& r : running) siblings.push_back(r.fd);
  const ForkedChild child = fork_child(job, siblings, failed.error);
  if (child.pid < 0) return false;
  running.push_back({index, child.pid, child.fd, Clock::now(), {}, false});
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
  describe_exit(o, status, kill_it, false, timeout_s);
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
    if (stop_signal() != 0) {  // the search was asked to stop: the running points are dropped, not recorded
      for (Running& r : running) finish(r, true, m_timeout_s);
      return;
    }
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
