#pragma once
// The three per-core units. The systolic array and vector unit take their commands' closed-form cycles;
// the DMA engine takes the longer of the shared-memory transfer (with contention) and the scratchpad port time.

#include "sim/engine/command_unit.h"
#include "sim/memory/scratchpad.h"
#include "sim/memory/shared_memory.h"

namespace catsim {

// Runs array tiles; their cycles come from sim/systolic/fold_timing (proved by the PE-level model).
class SystolicArrayUnit : public CommandUnit {
 public:
  using CommandUnit::CommandUnit;
  std::uint64_t macs() const { return s_macs; }

 protected:
  std::uint64_t execute(const Command& cmd) override {
    s_macs += cmd.macs;
    return cmd.cycles;
  }

 private:
  std::uint64_t s_macs = 0;  // MACs performed
};

// Runs vector passes (softmax, norms, activations, element-wise ops) over row chunks.
class VectorUnit : public CommandUnit {
 public:
  using CommandUnit::CommandUnit;

 protected:
  std::uint64_t execute(const Command& cmd) override { return cmd.cycles; }
};

// Moves tiles between the scratchpad and DRAM or the global buffer, one transfer at a time; each core has
// one engine for loads and one for stores.
class DmaEngine : public CommandUnit {
 public:
  DmaEngine(sc_core::sc_module_name name, const Program& program, const std::vector<CommandId>& queue,
            Scoreboard& scoreboard, CommandTimes& times, SharedMemory& dram, SharedMemory* global,
            Scratchpad& scratchpad)
      : CommandUnit(name, program, queue, scoreboard, times), m_dram(dram), m_global(global), m_scratchpad(scratchpad) {}
  std::uint64_t transfers() const { return commands(); }

 protected:
  std::uint64_t execute(const Command& cmd) override {
    SharedMemory& memory = cmd.memory == MemoryTarget::global_buffer && m_global ? *m_global : m_dram;
    const std::uint64_t far = memory.transfer(now_cycles(), cmd.dram_bytes, cmd.is_store());
    const std::uint64_t port = m_scratchpad.port_cycles(cmd.dram_bytes, !cmd.is_store());
    if (memory.ideal()) return 0;  // ideal memory never stalls (SCALE-Sim CALC mode)
    return std::max(far, port);
  }

 private:
  SharedMemory& m_dram;
  SharedMemory* m_global;  // null without a global buffer
  Scratchpad& m_scratchpad;
};

}  // namespace catsim
