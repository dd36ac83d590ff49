#pragma once
// Which SRAM macros a design has and which one serves the traffic the simulator counts per buffer name
// (ifmap, weight, ofmap, vector, global). Used by the area, leakage and access-energy models.

#include <string>
#include <vector>

#include "arch/arch_spec.h"

namespace catsim {

struct SramBuffer {
  std::string name;           // "scratchpad", "ifmap", "weight", "ofmap" or "global"
  double capacity_bytes = 0;  // of one macro
  double access_bytes = 0;    // port width of one macro (bytes per access)
  int instances = 0;          // macros of this kind on the die (cores x banks, ...)
};

// Per core: the scratchpad as `banks` equal banks, or as the ifmap/weight/ofmap split when given (any
// capacity left over is one more macro); then the shared global buffer when global_kib > 0.
// Port widths are bytes_per_cycle per core (divided among banks); 64 bytes when not given.
std::vector<SramBuffer> sram_buffers(const ArchSpec& arch);

// The macro behind traffic counted under `name`: its split buffer when the scratchpad is split, the
// global buffer for "global", else one scratchpad bank.
SramBuffer buffer_for(const ArchSpec& arch, const std::string& name);

}  // namespace catsim
