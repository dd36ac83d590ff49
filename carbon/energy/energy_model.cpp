#include "carbon/energy/energy_model.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

#include "carbon/area/pe_registers.h"
#include "carbon/area/sram_layout.h"
#include "sim/memory/dram/dram_power.h"

namespace catsim {

namespace {

constexpr double kJoulesPerPj = 1e-12;

// DRAM: the type's energy per bit for every byte; under dram.model banked with a part that has datasheet
// currents, the DRAMPower prices of its commands instead (dram_power.h): a burst read or written, an activation
// with its precharge, an all-bank refresh, and the standby current of every part side by side over the whole
// run (IDD2N, and IDD3N over the cycles a row is open). I/O and termination are not in these.
void set_dram_prices(EventPrices& p, const ArchSpec& arch, const TechTable& tech) {
  const double per_byte = arch.dram.type.empty() ? std::numeric_limits<double>::quiet_NaN()
                                                 : 8 * tech.dram_pj_per_bit(arch.dram.type) * kJoulesPerPj;
  p.dram_read_j = p.dram_write_j = per_byte;
  if (!dram_energy_from_currents(arch)) return;
  const DramDevice& part = *arch.dram.part;
  const DramCommandEnergies command = dram_command_energies(part);
  const double burst = static_cast<double>(part.org.burst_bytes());
  p.dram_activate_j = command.activate;
  p.dram_read_j = command.read_burst / burst;
  p.dram_write_j = command.write_burst / burst;
  p.dram_refresh_j = command.refresh;
  DramStats open, closed;
  constexpr std::uint64_t kClocks = 1'000'000;
  open.open_cycles = kClocks;
  open.end = closed.end = kClocks;  // standby alone: refreshes are priced on their own
  const double parts = parts_side_by_side(arch.dram.bandwidth_gbps, arch.dram.channels, part);
  const double seconds = static_cast<double>(kClocks) * part.tck_ns * 1e-9;
  const double precharged_w = dram_energy(part, closed, kClocks).background / seconds;
  p.dram_standby_w = precharged_w * parts;
  p.dram_open_extra_w = std::max(0.0, dram_energy(part, open, kClocks).background / seconds - precharged_w) * parts;
}

}  // namespace

bool dram_energy_from_currents(const ArchSpec& arch) {
  return arch.dram.model == DramModel::banked && arch.dram.part && !arch.dram.part->rails.empty();
}

StaticPower static_power(const ArchSpec& arch, const TechTable& tech, const AreaReport& area) {
  StaticPower p;
  p.logic_w = tech.get("logic_leak_w_per_mm2") * area.logic_mm2();
  for (const SramBuffer& b : sram_buffers(arch))
    p.sram_w += b.instances * tech.sram(b.capacity_bytes, b.access_bytes).leak_w;
  return p;
}

EventPrices event_prices(const ArchSpec& arch, const TechTable& tech, const AreaReport& area) {
  constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
  auto entry_j = [&](const std::string& entry) {
    return tech.values().count(entry) ? tech.get(entry) * kJoulesPerPj : kUnknown;
  };
  EventPrices p;
  for (Precision prec : kAllPrecisions) {
    const auto i = static_cast<std::size_t>(prec);
    p.mac_j[i] = entry_j("mac_" + std::string(name_of(prec)) + "_pj");
    p.reg_j[i] = register_bits_per_mac(prec, arch.systolic.dataflow) * tech.get("reg_bit_pj") * kJoulesPerPj;
  }
  for (std::size_t i = 0; i < kSramBufferKinds; ++i) {
    const SramBuffer b = buffer_for(arch, std::string(name_of(static_cast<SramBufferKind>(i))));
    const SramCost cost = tech.sram(b.capacity_bytes, b.access_bytes);
    p.sram_read_j[i] = cost.read_pj_per_byte * kJoulesPerPj;
    p.sram_write_j[i] = cost.write_pj_per_byte * kJoulesPerPj;
  }
  set_dram_prices(p, arch, tech);
  for (std::size_t i = 0; i < kVectorOpCount; ++i) p.vector_j[i] = entry_j("vector_" + std::string(kVectorOps[i]) + "_pj");
  p.dma_j = tech.get("dma_transfer_pj") * kJoulesPerPj;
  const StaticPower leak = static_power(arch, tech, area);
  p.logic_leak_w = leak.logic_w;
  p.sram_leak_w = leak.sram_w;
  return p;
}

namespace {

std::string term_key(EventPrices::Term t, std::size_t i) {
  using T = EventPrices::Term;
  switch (t) {
    case T::mac: return "array.mac." + std::string(name_of(static_cast<Precision>(i)));
    case T::reg: return "array.reg." + std::string(name_of(static_cast<Precision>(i)));
    case T::sram_read: return "sram.read." + std::string(name_of(static_cast<SramBufferKind>(i)));
    case T::sram_write: return "sram.write." + std::string(name_of(static_cast<SramBufferKind>(i)));
    case T::dram_read: return "dram.read";
    case T::dram_write: return "dram.write";
    case T::dram_activate: return "dram.activate";
    case T::dram_refresh: return "dram.refresh";
    case T::vector: return "vector." + std::string(kVectorOps[i]);
    case T::dma: return "dma";
    case T::static_logic: return "static.logic";
    case T::static_sram: return "static.sram";
    case T::static_dram: return "dram.standby";
  }
  return "?";
}

}  // namespace

// (1) every counted event and the static power over the simulated time, by term (event_prices), (2) totals
// and derived rates. A term whose price is unknown is an error naming what is missing.
EnergyReport compute_energy(const ArchSpec& arch, const TechTable& tech, const EventCounts& counts,
                            const AreaReport& area) {
  using T = EventPrices::Term;
  const EventPrices prices = event_prices(arch, tech, area);
  EventCounts c = counts;
  if (c.clock_mhz <= 0) c.clock_mhz = arch.clock_mhz;
  EnergyReport r;
  prices.for_each_term(c, [&](T t, std::size_t i, std::uint64_t n, double j) {
    if (std::isnan(j) && (t == T::dram_read || t == T::dram_write))
      throw ConfigError(
          {arch.source_file, 0, 0}, "dram.type",
          "missing DRAM type, needed for DRAM energy (expected one of " + tech.data().dram_type_list() + ")");
    if (std::isnan(j) && t == T::vector)
      throw std::invalid_argument("no energy entry 'vector_" + std::string(kVectorOps[i]) + "_pj' for vector operation '" +
                                  std::string(kVectorOps[i]) + "'");
    if (std::isnan(j))
      throw std::invalid_argument("no energy entry for '" + term_key(t, i) + "' in the technology tables");
    if (t == T::mac) r.macs += n;
    const bool leak = t == T::static_logic || t == T::static_sram || t == T::static_dram;
    (leak ? r.static_j : r.dynamic_j) += j;
    if (j != 0) r.breakdown_j[term_key(t, i)] += j;
  });
  r.seconds = c.seconds();
  r.static_power_w = prices.logic_leak_w + prices.sram_leak_w + prices.dram_standby_w;
  r.energy_j = r.dynamic_j + r.static_j;
  r.power_w = r.seconds > 0 ? r.energy_j / r.seconds : 0.0;
  r.tops_per_w = r.energy_j > 0 ? 2.0 * static_cast<double>(r.macs) / r.energy_j / 1e12 : 0.0;
  return r;
}

EnergyReport compute_energy(const ArchSpec& arch, const TechTable& tech, const EventCounts& counts) {
  return compute_energy(arch, tech, counts, compute_area(arch, tech));
}

}  // namespace catsim
