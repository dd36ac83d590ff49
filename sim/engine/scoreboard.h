#pragma once
// Tracks which commands have finished and wakes exactly the units waiting on them: a unit blocked on a
// dependency registers its own event under that command, so a completion wakes one unit, not all of them.

#include <systemc>
#include <unordered_map>
#include <vector>

#include "sim/compile/program.h"

namespace catsim {

class Scoreboard {
 public:
  explicit Scoreboard(std::size_t commands) : m_done(commands, false) {}

  bool done(CommandId id) const { return m_done[id]; }

  // Blocks the calling SystemC thread until every dependency has finished; `wake` is the thread's own event.
  void wait_for(const CommandDeps& deps, sc_core::sc_event& wake) {
    for (CommandId d : deps)
      while (!m_done[d]) {
        m_waiters[d].push_back(&wake);
        sc_core::wait(wake);
      }
  }

  void complete(CommandId id) {
    m_done[id] = true;
    auto it = m_waiters.find(id);
    if (it == m_waiters.end()) return;
    for (sc_core::sc_event* e : it->second) e->notify(sc_core::SC_ZERO_TIME);
    m_waiters.erase(it);
  }

 private:
  std::vector<bool> m_done;
  std::unordered_map<CommandId, std::vector<sc_core::sc_event*>> m_waiters;
};

}  // namespace catsim
