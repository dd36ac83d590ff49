#pragma once
// The SystemC face of FluidFlows (fluid_flows.h states the model): DMA engines start their transfers
// here, a method wakes at each change the flows schedule, and each finished transfer notifies its engine.

#include <systemc>
#include <vector>

#include "arch/arch_spec.h"
#include "sim/memory/fluid_flows.h"
#include "sim/memory/shared_memory.h"

namespace catsim {

class MemorySystem : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(MemorySystem);
  MemorySystem(sc_core::sc_module_name name, const ArchSpec& arch, int cores, SharedMemory& dram,
               SharedMemory* global);

  // Registers a DMA engine of `core`; returns its requester id.
  int add_requester(int core) { return m_flows.add_requester(core); }

  // Serves `bytes` between `memory` and the requester's scratchpad from now on (the latency has already
  // elapsed); sets *done and notifies `done_event` when the last byte is served.
  void start(int requester, SharedMemory& memory, std::uint64_t bytes, bool write, bool* done,
             sc_core::sc_event& done_event);

  // `sram.array_port: shared`: see FluidFlows::set_array_rate.
  void set_array_rate(int core, double bytes_per_cycle);

  const std::vector<ServiceSegment>& dram_service() const { return m_flows.dram_service(); }
  double dram_activates() const { return m_flows.dram_activates(); }
  double dram_open_cycles(std::uint64_t end) const { return m_flows.dram_open_cycles(end); }

 private:
  struct Waiter {
    bool* done = nullptr;
    sc_core::sc_event* event = nullptr;
  };

  void update();    // SC_METHOD: the next transfer end or window change is due
  void schedule();  // notifies the finished transfers' engines and sets the next wake-up

  FluidFlows m_flows;
  std::vector<Waiter> m_waiters;  // by transfer tag
  std::vector<int> m_free_tags;
  sc_core::sc_event m_wake;
};

}  // namespace catsim
