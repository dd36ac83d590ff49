#pragma once
// A pool of forked worker processes: each job runs in its own child (SystemC elaborates once per
// process), at most `workers` at a time, each with a time limit. A crash or hang ends only its child.

#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "sim/run/fork_runner.h"

namespace catsim {

// Forks one child per job, at most `workers` alive, and kills a child past its time limit: the parent stays
// single-threaded (safe to fork) and learns of each end through the child's pipe.
class EvalPool {
 public:
  using Job = std::function<std::string()>;
  // Called in the parent, in completion order, with the job's index and how its child ended.
  using OnDone = std::function<void(std::size_t, const ChildOutcome&)>;

  EvalPool(int workers, double timeout_s);
  int workers() const { return m_workers; }

  // Runs every job and returns when all have ended.
  void run(const std::vector<Job>& jobs, const OnDone& on_done) const;

  // The same jobs run as the caller asks for them: next() waits for the next job to end and returns its index
  // and how its child ended, starting jobs as workers free up; nullopt once every job has been returned, or
  // once a search was asked to stop (stop_signal(): the running children are killed and not returned). The
  // children still running when the stream is destroyed are killed.
  class Stream {
   public:
    Stream(const EvalPool& pool, std::vector<Job> jobs);
    ~Stream();
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    std::optional<std::pair<std::size_t, ChildOutcome>> next();

   private:
    struct State;
    std::unique_ptr<State> m_state;
  };

 private:
  int m_workers;
  double m_timeout_s;
};

// The machine's online cores (at least 1).
int online_cores();

}  // namespace catsim
