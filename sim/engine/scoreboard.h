#pragma once
// Tracks which commands have finished and wakes the units waiting on them. Units check their
// dependencies and, if any is pending, wait for the next completion anywhere in the accelerator.

#include <systemc>
#include <vector>

#include "sim/compile/program.h"

namespace catsim {

class Scoreboard {
 public:
  explicit Scoreboard(std::size_t commands) : m_done(commands, false) {}

  bool ready(const std::vector<CommandId>& deps) const {
    for (CommandId d : deps)
      if (!m_done[d]) return false;
    return true;
  }
  void wait_for(const std::vector<CommandId>& deps) {
    while (!ready(deps)) sc_core::wait(m_any_done);
  }
  void complete(CommandId id) {
    m_done[id] = true;
    m_any_done.notify(sc_core::SC_ZERO_TIME);
  }

 private:
  std::vector<bool> m_done;
  sc_core::sc_event m_any_done;
};

}  // namespace catsim
