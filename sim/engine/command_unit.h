#pragma once
// Base of every unit that executes tile commands in order (DMA engine, systolic array, vector unit):
// one SC_THREAD waits for a command's dependencies, asks the unit how long the command takes, jumps
// time by that much, and records start, end and busy cycles. No per-cycle process anywhere.

#include <systemc>
#include <vector>

#include "sim/compile/program.h"
#include "sim/engine/accelerator.h"
#include "sim/engine/scoreboard.h"

namespace catsim {

class CommandUnit : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(CommandUnit);
  CommandUnit(sc_core::sc_module_name name, const Program& program, const std::vector<CommandId>& queue,
              Scoreboard& scoreboard, CommandTimes& times);

  std::uint64_t busy_cycles() const { return s_busy_cycles; }
  std::uint64_t commands() const { return s_commands; }

 protected:
  // Cycles from now until `cmd` completes on this unit. A unit that waits for shared resources may
  // instead wait itself and return 0; it may also move the command's recorded start (begin_at).
  virtual std::uint64_t execute(const Command& cmd) = 0;
  static std::uint64_t now_cycles();
  void begin_at(std::uint64_t cycle) { m_command_start = cycle; }
  const CommandTimes& times() const { return m_times; }

 private:
  void run();

  const Program& m_program;
  const std::vector<CommandId>& m_queue;
  Scoreboard& m_scoreboard;
  CommandTimes& m_times;
  std::uint64_t m_command_start = 0;  // start of the command being executed
  sc_core::sc_event m_wake;  // notified by the scoreboard when the command this unit waits on finishes
  std::uint64_t s_busy_cycles = 0;  // cycles spent executing commands
  std::uint64_t s_commands = 0;     // commands executed
};

}  // namespace catsim
