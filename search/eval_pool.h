#pragma once
// A pool of forked worker processes: each job runs in its own child (SystemC elaborates once per
// process), at most `workers` at a time, each with a time limit. A crash or hang ends only its child.

#include <functional>
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

 private:
  int m_workers;
  double m_timeout_s;
};

// The machine's online cores (at least 1).
int online_cores();

}  // namespace catsim
