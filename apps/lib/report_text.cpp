#include "apps/lib/report_text.h"

#include <fmt/format.h>

#include "apps/lib/format.h"

namespace catsim {

std::string simulation_text(const SimulationResult& r) {
  std::string s;
  const auto& c = r.counts;
  s += fmt::format("catsim      {} on {} ({} timing)\n", r.model_name, r.arch_name, name_of(r.timing));
  s += fmt::format("cycles      {}{}\n", with_commas(r.cycles),
                   r.timing == ArrayTiming::scalesim ? "  (SCALE-Sim convention: index of the last cycle)" : "");
  s += fmt::format("latency     {:.6g} s at {} MHz\n", r.latency_s, r.clock_mhz);
  std::uint64_t macs = 0;
  for (const auto& [p, n] : c.macs) macs += n;
  s += fmt::format("MACs        {}  (array utilization {:.1f} %)\n", with_commas(macs), 100 * r.array_utilization);
  s += fmt::format("DRAM        {} read, {} written, {} DMA commands\n", human_bytes(c.dram_read_bytes),
                   human_bytes(c.dram_write_bytes), with_commas(c.dma_transfers));
  s += "units       ";
  for (const auto& u : r.units)
    if (u.busy_cycles)
      s += fmt::format("core{}.{} {:.1f}%  ", u.core, name_of(u.unit),
                       100.0 * static_cast<double>(u.busy_cycles) / static_cast<double>(r.makespan_cycles));
  s += "\n\n";
  s += fmt::format("{:<28} {:<14} {:<24} {:>12} {:>12} {:>12} {:>6} {:<8} {:>11}\n", "op", "kind", "shape", "cycles",
                   "start", "end", "util", "bound", "DRAM");
  for (const auto& o : r.ops)
    s += fmt::format("{:<28} {:<14} {:<24} {:>12} {:>12} {:>12} {:>5.1f}% {:<8} {:>11}\n", o.name, o.kind, o.shape,
                     with_commas(o.cycles), with_commas(o.start_cycle), with_commas(o.end_cycle), 100 * o.utilization,
                     name_of(o.bound), human_bytes(o.dram_bytes));
  return s;
}

}  // namespace catsim
