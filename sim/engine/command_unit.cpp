#include "sim/engine/command_unit.h"

namespace catsim {

CommandUnit::CommandUnit(sc_core::sc_module_name name, const Program& program, const std::vector<CommandId>& queue,
                         Scoreboard& scoreboard, CommandTimes& times)
    : sc_core::sc_module(name), m_program(program), m_queue(queue), m_scoreboard(scoreboard), m_times(times) {
  SC_THREAD(run);
}

std::uint64_t CommandUnit::now_cycles() {
  // One cycle is one nanosecond of simulated time (resolution 1 ns); seconds come from the clock later.
  return static_cast<std::uint64_t>(sc_core::sc_time_stamp().value());
}

void CommandUnit::run() {
  for (CommandId id : m_queue) {
    const Command& cmd = m_program.commands[id];
    m_scoreboard.wait_for(cmd.deps, m_wake);
    m_command_start = now_cycles();
    const std::uint64_t cycles = execute(cmd);
    if (cycles > 0) sc_core::wait(sc_core::sc_time(static_cast<double>(cycles), sc_core::SC_NS));
    const std::uint64_t end = now_cycles();
    m_times.start[id] = m_command_start;
    m_times.end[id] = end;
    s_busy_cycles += end - m_command_start;
    s_commands++;
    m_scoreboard.complete(id);
  }
}

}  // namespace catsim
