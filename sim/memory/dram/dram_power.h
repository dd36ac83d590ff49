#pragma once
// DRAM energy from datasheet currents, the DRAMPower method (Chandrasekar et al., DSD 2011; Micron TN-41-01):
// each command's charge above the standby current it replaces, plus the standby currents over the whole
// time — IDD3N while any bank holds an open row, IDD2N while all are precharged — for every rail and every
// device of the rank. Idle time costs energy, as it does in silicon. I/O and termination are not included.

#include <cstdint>

#include "sim/memory/dram/dram_controller.h"
#include "arch/dram_device.h"

namespace catsim {

// Joules of one rank over a run.
struct DramEnergy {
  double activate = 0;    // (IDD0 − IDD3N)·tRAS·V per ACT + (IDD0 − IDD2N)·(tRC − tRAS)·V per PRE
  double read = 0;        // (IDD4R − IDD3N)·V per burst of burst_cycles clocks
  double write = 0;       // (IDD4W − IDD3N)·V per burst
  double refresh = 0;     // (IDD5B − IDD3N)·V·tRFC per all-bank refresh (idle ones past the last command too)
  double background = 0;  // IDD3N·V over the open clocks and each refresh's tRFC − tRP, IDD2N·V over the rest
  double total() const { return activate + read + write + refresh + background; }
};

// The energy of the commands in `stats` over `elapsed` clocks (at least stats.end). Throws
// std::invalid_argument when the device has no currents.
DramEnergy dram_energy(const DramDevice& device, const DramStats& stats, std::uint64_t elapsed);

// What one command of one rank costs, in joules (dram_energy of that command alone): an ACT with its PRE, a read
// and a write burst, an all-bank refresh. Throws std::invalid_argument when the device has no currents.
struct DramCommandEnergies {
  double activate = 0, read_burst = 0, write_burst = 0, refresh = 0;
};
DramCommandEnergies dram_command_energies(const DramDevice& device);

}  // namespace catsim
