#include "sim/memory/dram/dram_power.h"

#include <algorithm>
#include <stdexcept>

namespace catsim {

DramEnergy dram_energy(const DramDevice& d, const DramStats& s, std::uint64_t elapsed) {
  if (d.rails.empty()) throw std::invalid_argument(d.name + ": no datasheet currents to price DRAM commands with");
  const DramTiming& t = d.timing;
  const double tck_s = d.tck_ns * 1e-9, devices = d.org.devices;
  const double burst = d.org.burst_cycles();
  const double total = static_cast<double>(std::max(elapsed, s.end));
  // Refreshes in an idle tail past the last command; and each refresh's tRFC - tRP with rows active
  // (DRAMPower counts them at IDD3N).
  const double refreshes = static_cast<double>(s.refreshes) +
                           static_cast<double>(elapsed > s.end ? (elapsed - s.end) / static_cast<std::uint64_t>(t.refi) : 0);
  const double open = std::min(static_cast<double>(s.open_cycles) + refreshes * std::max(0, t.rfc - t.rp), total);
  DramEnergy e;
  for (const DramRail& r : d.rails) {
    const double per_clock = r.volts * tck_s * devices;  // joules per ampere-clock on this rail
    e.activate += static_cast<double>(s.activates) * per_clock * std::max(0.0, (r.idd0 - r.idd3n) * t.ras) +
                  static_cast<double>(s.precharges) * per_clock * std::max(0.0, (r.idd0 - r.idd2n) * (t.rc - t.ras));
    e.read += static_cast<double>(s.reads) * per_clock * std::max(0.0, r.idd4r - r.idd3n) * burst;
    e.write += static_cast<double>(s.writes) * per_clock * std::max(0.0, r.idd4w - r.idd3n) * burst;
    e.refresh += refreshes * per_clock * std::max(0.0, r.idd5b - r.idd3n) * t.rfc;
    e.background += per_clock * (r.idd3n * open + r.idd2n * (total - open));
  }
  return e;
}

DramCommandEnergies dram_command_energies(const DramDevice& device) {
  DramStats act, read, write, refresh;
  act.activates = act.precharges = 1;
  read.reads = 1;
  write.writes = 1;
  refresh.refreshes = 1;
  return {dram_energy(device, act, 0).activate, dram_energy(device, read, 0).read, dram_energy(device, write, 0).write,
          dram_energy(device, refresh, 0).refresh};
}

}  // namespace catsim
