#pragma once
// The per-core units. The systolic array and vector unit take their commands' closed-form cycles; the
// DMA engines' transfers are timed by the MemorySystem (channels, scratchpad port, outstanding requests).


#include "sim/engine/command_unit.h"
#include "sim/engine/unit_rules.h"
#include "sim/memory/memory_system.h"
#include "sim/memory/scratchpad.h"
#include "sim/memory/shared_memory.h"

namespace catsim {

// Runs array tiles; their cycles come from sim/systolic/fold_timing (proved by the PE-level model). With
// `sram.array_port: shared` the array's scratchpad bytes go through the core's port too: it holds its
// share of the port while it runs (the DMA engines get the rest), and a command that needs more than the
// whole port stretches to bytes / port cycles.
class SystolicArrayUnit : public CommandUnit {
 public:
  using CommandUnit::CommandUnit;
  std::uint64_t macs() const { return s_macs; }
  std::uint64_t port_stall_cycles() const { return s_port_stall_cycles; }
  void share_port(MemorySystem& memory, int core, double port_bytes_per_cycle) {
    m_memory = &memory, m_core = core, m_port = port_bytes_per_cycle;
  }

 protected:
  std::uint64_t execute(const Command& cmd) override {
    s_macs += cmd.macs;
    if (!m_memory || cmd.cycles == 0) return cmd.cycles;
    const PortedArrayTiming t = on_shared_port(cmd, m_port);
    s_port_stall_cycles += t.cycles - cmd.cycles;
    m_memory->set_array_rate(m_core, t.bytes_per_cycle);
    sc_core::wait(sc_core::sc_time(static_cast<double>(t.cycles), sc_core::SC_NS));
    m_memory->set_array_rate(m_core, 0.0);
    return 0;
  }

 private:
  MemorySystem* m_memory = nullptr;  // set when the array shares the scratchpad port
  int m_core = 0;
  double m_port = 0;                  // the port's bytes per cycle
  std::uint64_t s_macs = 0;           // MACs performed
  std::uint64_t s_port_stall_cycles = 0;  // cycles commands ran beyond their fold chain, waiting on the port
};

// Runs vector passes (softmax, norms, activations, element-wise ops) over row chunks.
class VectorUnit : public CommandUnit {
 public:
  using CommandUnit::CommandUnit;

 protected:
  std::uint64_t execute(const Command& cmd) override { return cmd.cycles; }
};

// Moves tiles between the scratchpad and DRAM or the global buffer; each core has one engine for loads
// and one for stores. A command's requests issue as soon as its dependencies are met and the previous
// command has issued (program order), even while earlier data is still arriving; its data flows after
// the memory's latency, once the previous command's data is through. Bandwidth, channel sharing, the
// scratchpad port and the window of outstanding requests are timed by MemorySystem.
class DmaEngine : public CommandUnit {
 public:
  DmaEngine(sc_core::sc_module_name name, const Program& program, const std::vector<CommandId>& queue,
            Scoreboard& scoreboard, CommandTimes& times, MemorySystem& memory_system, SharedMemory& dram,
            SharedMemory* global, Scratchpad& scratchpad, int core)
      : CommandUnit(name, program, queue, scoreboard, times),
        m_memory_system(memory_system),
        m_dram(dram),
        m_global(global),
        m_scratchpad(scratchpad),
        m_requester(memory_system.add_requester(core)) {}
  std::uint64_t transfers() const { return commands(); }

 protected:
  std::uint64_t execute(const Command& cmd) override {
    SharedMemory& memory = cmd.memory == MemoryTarget::global_buffer && m_global ? *m_global : m_dram;
    memory.count(cmd.dram_bytes, cmd.is_store());
    m_scratchpad.count(cmd.dram_bytes, !cmd.is_store());
    if (memory.ideal() || cmd.dram_bytes == 0) return 0;  // ideal memory never stalls (SCALE-Sim CALC mode)
    const std::uint64_t now = now_cycles();
    const DmaTiming t = dma_timing(cmd, times(), m_last_issue, m_last_end, memory.params().latency_cycles, now);
    m_last_issue = t.issue;
    begin_at(t.start);
    if (t.arrive > now) sc_core::wait(sc_core::sc_time(static_cast<double>(t.arrive - now), sc_core::SC_NS));
    m_done = false;
    m_memory_system.start(m_requester, memory, cmd.dram_bytes, cmd.is_store(), &m_done, m_done_event);
    while (!m_done) sc_core::wait(m_done_event);
    m_last_end = now_cycles();
    return 0;
  }

 private:
  MemorySystem& m_memory_system;
  SharedMemory& m_dram;
  SharedMemory* m_global;  // null without a global buffer
  Scratchpad& m_scratchpad;
  int m_requester;
  std::uint64_t m_last_issue = 0, m_last_end = 0;  // of the previous command
  bool m_done = false;
  sc_core::sc_event m_done_event;  // notified by the memory system when the transfer's last byte is served
};

}  // namespace catsim
