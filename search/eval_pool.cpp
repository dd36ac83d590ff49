#include "search/eval_pool.h"

#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <cerrno>
#include <csignal>

#include "search/stop_request.h"

namespace catsim {
int online_cores() {
  const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

EvalPool::EvalPool(int workers, double timeout_s)
    : m_workers(workers > 0 ? workers : online_cores()), m_timeout_s(timeout_s) {}

struct EvalPool::Stream::State {
  using Clock = std::chrono::steady_clock;

  // One child at work: its job, process, pipe, start time and what it has written so far.
  struct Running {
    std::size_t index;
    pid_t pid;
    int fd;
    Clock::time_point start;
    std::string payload;
    bool eof = false;
  };

  static bool start_job(const EvalPool::Job& job, std::size_t index, std::vector<Running>& running,
                        ChildOutcome& failed) {
    std::vector<int> siblings;  // their pipes are not this child's business
    for (const auto& r : running) siblings.push_back(r.fd);
    const ForkedChild child = fork_child(job, siblings, failed.error);
    if (child.pid < 0) return false;
    running.push_back({index, child.pid, child.fd, Clock::now(), {}, false});
    return true;
  }

  // Reaps `r` (killing it first when `kill_it`) and describes how it ended.
  static ChildOutcome finish(Running& r, bool kill_it, double timeout_s) {
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

  int workers;
  double timeout_s;
  std::vector<Job> jobs;
  std::size_t next = 0;                                   // the next job to start
  std::vector<Running> running;
  std::deque<std::pair<std::size_t, ChildOutcome>> ended;  // ended, not yet returned

  void kill_all() {
    for (Running& r : running) finish(r, true, timeout_s);
    running.clear();
  }

  // Starts jobs while workers are free, then waits up to 50 ms for children to write or end and reaps those
  // that ended or ran out of time.
  void step() {
    while (next < jobs.size() && static_cast<int>(running.size()) < workers) {
      ChildOutcome failed;
      if (!start_job(jobs[next], next, running, failed)) ended.emplace_back(next, failed);
      ++next;
    }
    if (running.empty()) return;
    std::vector<pollfd> fds;
    for (const auto& r : running) fds.push_back({r.fd, POLLIN, 0});
    ::poll(fds.data(), fds.size(), 50);
    const auto now = Clock::now();
    const auto timeout = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
    for (std::size_t i = 0; i < running.size();) {
      Running& r = running[i];
      if (fds[i].revents != 0) {
        char buf[1 << 14];
        const ssize_t n = ::read(r.fd, buf, sizeof buf);
        if (n > 0) r.payload.append(buf, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EINTR) r.eof = true;
      }
      const bool late = timeout_s > 0 && now - r.start > timeout;
      if (r.eof || late) {
        const std::size_t index = r.index;
        ended.emplace_back(index, finish(r, !r.eof, timeout_s));
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        fds.erase(fds.begin() + static_cast<std::ptrdiff_t>(i));
      } else {
        ++i;
      }
    }
  }
};

EvalPool::Stream::Stream(const EvalPool& pool, std::vector<Job> jobs)
    : m_state(new State{pool.m_workers, pool.m_timeout_s, std::move(jobs), 0, {}, {}}) {}

EvalPool::Stream::~Stream() { m_state->kill_all(); }

std::optional<std::pair<std::size_t, ChildOutcome>> EvalPool::Stream::next() {
  State& s = *m_state;
  while (true) {
    if (stop_signal() != 0) {  // the search was asked to stop: the running points are dropped, not recorded
      s.kill_all();
      s.next = s.jobs.size();
      s.ended.clear();
      return std::nullopt;
    }
    if (!s.ended.empty()) {
      auto done = std::move(s.ended.front());
      s.ended.pop_front();
      return done;
    }
    if (s.next >= s.jobs.size() && s.running.empty()) return std::nullopt;
    s.step();
  }
}

void EvalPool::run(const std::vector<Job>& jobs, const OnDone& on_done) const {
  Stream stream(*this, jobs);
  while (auto done = stream.next()) on_done(done->first, done->second);
}

}  // namespace catsim
