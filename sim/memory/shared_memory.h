#pragma once
// DRAM, or the global buffer, as a module of the SystemC model: the channels, split and counts of
// MemoryChannels under a name in the module tree. Its transfers are timed by MemorySystem.

#include <systemc>

#include "sim/memory/memory_channels.h"

namespace catsim {

class SharedMemory : public sc_core::sc_module, public MemoryChannels {
 public:
  SharedMemory(sc_core::sc_module_name name, const SharedMemoryParams& params)
      : sc_core::sc_module(name), MemoryChannels(params) {}
};

}  // namespace catsim
