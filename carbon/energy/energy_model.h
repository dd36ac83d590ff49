#pragma once
// Energy of one simulated run: every counted event times its per-event energy at the design's node,
// plus static (leakage) power times the simulated time:  E = sum(count x e) + P_static x t.

#include <cstdint>
#include <map>
#include <string>

#include "arch/arch_spec.h"
#include "carbon/area/area_model.h"
#include "carbon/tech/tech_table.h"
#include "sim/event_counts.h"
#include "sim/event_prices.h"

namespace catsim {

struct StaticPower {
  double logic_w = 0;  // logic_leak_w_per_mm2 x (array + vector + DRAM controller area)
  double sram_w = 0;   // leakage of every SRAM macro, by cell type
  double total_w() const { return logic_w + sram_w; }
};

struct EnergyReport {
  double energy_j = 0;  // dynamic + static
  double dynamic_j = 0;
  double static_j = 0;
  // array.mac.<prec>, array.reg.<prec>, sram.read.<buffer>, sram.write.<buffer>, dram.read, dram.write,
  // dram.activate, dram.refresh, dram.standby (banked DRAM with datasheet currents), vector.<kind>, dma,
  // static.logic, static.sram -- joules; zero-count events are left out.
  std::map<std::string, double> breakdown_j;
  double seconds = 0;  // simulated time
  double power_w = 0;  // energy_j / seconds
  double static_power_w = 0;
  std::uint64_t macs = 0;  // all precisions
  double tops_per_w = 0;   // 2 ops per MAC: 2 x macs / energy_j / 1e12
};

// Leakage uses the estimated parts even when arch.yaml overrides the total area.
StaticPower static_power(const ArchSpec& arch, const TechTable& tech, const AreaReport& area);

// Whether the design's DRAM energy comes from its part's datasheet currents (dram.model banked, a part with
// currents) rather than the type's energy per bit.
bool dram_energy_from_currents(const ArchSpec& arch);

// The design's price of every counted event and its static power (unknown prices NaN).
EventPrices event_prices(const ArchSpec& arch, const TechTable& tech, const AreaReport& area);

// Energy of `counts`: event_prices' terms, each in the breakdown under its key; throws ConfigError
// (dram.type) or std::invalid_argument when a counted event has no price.
EnergyReport compute_energy(const ArchSpec& arch, const TechTable& tech, const EventCounts& counts,
                            const AreaReport& area);
EnergyReport compute_energy(const ArchSpec& arch, const TechTable& tech, const EventCounts& counts);

}  // namespace catsim
