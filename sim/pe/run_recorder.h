#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/pe/vcd_probe.h"
#include "sim/systolic/fold_timing.h"

namespace catsim {

// What a PE-array run observed, cycle by cycle: how many PEs did useful MACs, how many MACs, and
// (when asked) a VCD of the array. Engines report events; the recorder keeps the per-cycle record.
class RunRecorder {
 public:
  RunRecorder(ArrayShape array, VcdWriter* vcd);

  // PE (row, col) works on real (not padding) data this cycle; `macs` of them complete now.
  void mark_active(int row, int col, std::int64_t macs);
  // Closes `cycle` (cycles must be closed in order 0, 1, 2, ...).
  void end_cycle(std::int64_t cycle, std::uint32_t acc00_bits, int fold);
  // The run counts `cycles` (the engine may have stepped further to drain outputs); throws
  // std::logic_error if a useful MAC happened at or after it.
  void finish(std::int64_t cycles);

  // A fold placement starts streaming at `cycle` (placements in the order they run).
  void fold_started(std::int64_t cycle) { m_fold_starts.push_back(cycle); }

  std::vector<int>& active_per_cycle() { return m_active_per_cycle; }
  std::vector<std::int64_t>& fold_starts() { return m_fold_starts; }
  std::uint64_t useful_macs() const { return m_useful_macs; }

 private:
  ArrayShape m_array;
  std::vector<int> m_active_per_cycle;
  std::vector<std::int64_t> m_fold_starts;
  int m_active_now = 0;
  std::uint64_t m_useful_macs = 0;
  std::vector<std::uint8_t> m_active_bits;  // this cycle's active PEs, kept only for the VCD
  std::unique_ptr<VcdProbe> m_probe;
};

}  // namespace catsim
