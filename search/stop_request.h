#pragma once
// A search asked to stop by SIGINT (Ctrl-C) or SIGTERM: the first signal only records itself, the pool drops
// the points still running and the optimizer proposes no more, so the search writes out what is archived
// and says how to resume; a second signal ends the process at once.

#include <signal.h>

namespace catsim {

// Installs the handlers for its lifetime (the previous ones come back after it), and forgets any earlier
// request.
class StopOnSignal {
 public:
  StopOnSignal();
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

 private:
  struct ::sigaction m_previous[2];  // SIGINT's and SIGTERM's handlers before
};

// The signal that asked the search to stop, or 0.
int stop_signal();

}  // namespace catsim
