#pragma once
// Joules per counted event and the design's static power, in the simulator's terms: carbon/energy fills them
// from the technology tables, every energy report sums them, and the mapper ranks schedules by them
// (mapper.objective: energy or edp). A run's energy is sum(count x price) + static power x simulated time.

#include <array>
#include <cmath>
#include <cstddef>

#include "sim/event_counts.h"

namespace catsim {

struct EventPrices {
  std::array<double, std::size(kAllPrecisions)> mac_j{}, reg_j{};       // per MAC: the MAC, its PE registers
  std::array<double, kSramBufferKinds> sram_read_j{}, sram_write_j{};   // per byte, by buffer
  double dram_read_j = 0, dram_write_j = 0;                             // per byte read, written
  double dram_activate_j = 0;                                           // per activation and its precharge
  double dram_refresh_j = 0;                                            // per all-bank refresh of one part
  double dram_standby_w = 0;      // banked: every part's standby power with all banks precharged (IDD2N), W
  double dram_open_extra_w = 0;   // banked: what a row open adds to it (IDD3N - IDD2N), W
  std::array<double, kVectorOpCount> vector_j{};                        // per element operation, by kind
  double dma_j = 0;                                                     // per DMA command
  double logic_leak_w = 0, sram_leak_w = 0;                             // static power, W
  // Unknown prices (no DRAM type, no tech entry for a vector op) are NaN: a report that needs one fails.

  enum class Term {
    mac, reg, sram_read, sram_write, dram_read, dram_write, dram_activate, dram_refresh, vector, dma,
    static_logic, static_sram, static_dram
  };

  // f(term, index, count, joules) for every term whose count is not zero; `index` is the precision, buffer or
  // vector op (0 for the others), `count` the events (cycles for the static terms).
  template <typename F>
  void for_each_term(const EventCounts& c, F&& f) const {
    c.macs.for_each_nonzero([&](Precision p, std::string_view, std::uint64_t n) {
      const auto i = static_cast<std::size_t>(p);
      f(Term::mac, i, n, static_cast<double>(n) * mac_j[i]);
      f(Term::reg, i, n, static_cast<double>(n) * reg_j[i]);
    });
    c.sram_read_bytes.for_each_nonzero([&](SramBufferKind b, std::string_view, std::uint64_t n) {
      const auto i = static_cast<std::size_t>(b);
      f(Term::sram_read, i, n, static_cast<double>(n) * sram_read_j[i]);
    });
    c.sram_write_bytes.for_each_nonzero([&](SramBufferKind b, std::string_view, std::uint64_t n) {
      const auto i = static_cast<std::size_t>(b);
      f(Term::sram_write, i, n, static_cast<double>(n) * sram_write_j[i]);
    });
    if (c.dram_read_bytes) f(Term::dram_read, 0, c.dram_read_bytes, static_cast<double>(c.dram_read_bytes) * dram_read_j);
    if (c.dram_write_bytes)
      f(Term::dram_write, 0, c.dram_write_bytes, static_cast<double>(c.dram_write_bytes) * dram_write_j);
    if (c.dram_activates)
      f(Term::dram_activate, 0, c.dram_activates, static_cast<double>(c.dram_activates) * dram_activate_j);
    if (c.dram_refreshes)
      f(Term::dram_refresh, 0, c.dram_refreshes, static_cast<double>(c.dram_refreshes) * dram_refresh_j);
    c.vector_ops.for_each_nonzero([&](VectorOp op, std::string_view, std::uint64_t n) {
      const auto i = static_cast<std::size_t>(op);
      f(Term::vector, i, n, static_cast<double>(n) * vector_j[i]);
    });
    if (c.dma_transfers) f(Term::dma, 0, c.dma_transfers, static_cast<double>(c.dma_transfers) * dma_j);
    if (c.cycles) {
      f(Term::static_logic, 0, c.cycles, logic_leak_w * c.seconds());
      f(Term::static_sram, 0, c.cycles, sram_leak_w * c.seconds());
      if (dram_standby_w > 0 || dram_open_extra_w > 0) {
        const double open_s = c.clock_mhz > 0 ? static_cast<double>(c.dram_open_cycles) / (c.clock_mhz * 1e6) : 0.0;
        f(Term::static_dram, 0, c.cycles, dram_standby_w * c.seconds() + dram_open_extra_w * open_s);
      }
    }
  }

  // The energy of `c` in joules (NaN when it needs an unknown price).
  double energy_j(const EventCounts& c) const {
    double sum = 0;
    for_each_term(c, [&](Term, std::size_t, std::uint64_t, double j) { sum += j; });
    return sum;
  }
};

}  // namespace catsim
