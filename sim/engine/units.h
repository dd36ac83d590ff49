#pragma once
// The three per-core units. The systolic array and vector unit take their commands' closed-form cycles;
// the DMA engine takes the longer of the DRAM transfer (with contention) and the scratchpad port time.

#include "sim/engine/command_unit.h"
#include "sim/engine/dram.h"

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

// Moves tiles between DRAM and the scratchpad; one transfer at a time per core.
class DmaEngine : public CommandUnit {
 public:
  DmaEngine(sc_core::sc_module_name name, const Program& program, const std::vector<CommandId>& queue,
            Scoreboard& scoreboard, CommandTimes& times, Dram& dram, int sram_bytes_per_cycle)
      : CommandUnit(name, program, queue, scoreboard, times), m_dram(dram), m_sram_bytes_per_cycle(sram_bytes_per_cycle) {}
  std::uint64_t transfers() const { return commands(); }

 protected:
  std::uint64_t execute(const Command& cmd) override {
    const std::uint64_t dram = m_dram.transfer(now_cycles(), cmd.dram_bytes, cmd.to_dram);
    if (m_dram.ideal()) return 0;  // ideal memory never stalls (SCALE-Sim CALC mode)
    const std::uint64_t port = (cmd.dram_bytes + m_sram_bytes_per_cycle - 1) / m_sram_bytes_per_cycle;
    return std::max(dram, port);
  }

 private:
  Dram& m_dram;
  std::uint64_t m_sram_bytes_per_cycle;
};

}  // namespace catsim
