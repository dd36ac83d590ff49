#include "carbon/energy/energy_model.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "carbon/area/pe_registers.h"
#include "carbon/area/sram_layout.h"

namespace catsim {

namespace {

constexpr double kJoulesPerPj = 1e-12;

void add(EnergyReport& r, const std::string& key, double joules) {
  if (joules != 0) r.breakdown_j[key] += joules;
}

void add_array(const ArchSpec& arch, const TechTable& tech, const EventCounts& c, EnergyReport& r) {
  c.macs.for_each_nonzero([&](Precision p, std::string_view name, std::uint64_t macs) {
    const std::string prec(name);
    const double n = static_cast<double>(macs);
    add(r, "array.mac." + prec, n * tech.get("mac_" + prec + "_pj") * kJoulesPerPj);
    add(r, "array.reg." + prec,
        n * register_bits_per_mac(p, arch.systolic.dataflow) * tech.get("reg_bit_pj") * kJoulesPerPj);
    r.macs += macs;
  });
}

void add_sram(const ArchSpec& arch, const TechTable& tech, const EventCounts& c, EnergyReport& r) {
  auto per_byte = [&](const std::string& buffer, bool read) {
    SramBuffer b = buffer_for(arch, buffer);
    SramCost cost = tech.sram(b.capacity_bytes, b.access_bytes);
    return read ? cost.read_pj_per_byte : cost.write_pj_per_byte;
  };
  c.sram_read_bytes.for_each_nonzero([&](SramBufferKind, std::string_view name, std::uint64_t bytes) {
    const std::string buffer(name);
    add(r, "sram.read." + buffer, static_cast<double>(bytes) * per_byte(buffer, true) * kJoulesPerPj);
  });
  c.sram_write_bytes.for_each_nonzero([&](SramBufferKind, std::string_view name, std::uint64_t bytes) {
    const std::string buffer(name);
    add(r, "sram.write." + buffer, static_cast<double>(bytes) * per_byte(buffer, false) * kJoulesPerPj);
  });
}

void add_dram(const ArchSpec& arch, const TechTable& tech, const EventCounts& c, EnergyReport& r) {
  if (c.dram_read_bytes + c.dram_write_bytes == 0) return;
  if (arch.dram.type.empty())
    throw ConfigError(
        {arch.source_file, 0, 0}, "dram.type",
        "missing DRAM type, needed for DRAM energy (expected one of " + tech.data().dram_type_list() + ")");
  double pj_per_byte = 8 * tech.dram_pj_per_bit(arch.dram.type);
  add(r, "dram.read", static_cast<double>(c.dram_read_bytes) * pj_per_byte * kJoulesPerPj);
  add(r, "dram.write", static_cast<double>(c.dram_write_bytes) * pj_per_byte * kJoulesPerPj);
}

void add_vector_and_dma(const TechTable& tech, const EventCounts& c, EnergyReport& r) {
  c.vector_ops.for_each_nonzero([&](VectorOp, std::string_view name, std::uint64_t ops) {
    const std::string kind(name), entry = "vector_" + kind + "_pj";
    if (!tech.values().count(entry))
      throw std::invalid_argument("no energy entry '" + entry + "' for vector operation '" + kind + "'");
    add(r, "vector." + kind, static_cast<double>(ops) * tech.get(entry) * kJoulesPerPj);
  });
  add(r, "dma", static_cast<double>(c.dma_transfers) * tech.get("dma_transfer_pj") * kJoulesPerPj);
}

double simulated_seconds(const ArchSpec& arch, const EventCounts& c) {
  double mhz = c.clock_mhz > 0 ? c.clock_mhz : arch.clock_mhz;
  return mhz > 0 ? static_cast<double>(c.cycles) / (mhz * 1e6) : 0.0;
}

}  // namespace

StaticPower static_power(const ArchSpec& arch, const TechTable& tech, const AreaReport& area) {
  StaticPower p;
  p.logic_w = tech.get("logic_leak_w_per_mm2") * area.logic_mm2();
  for (const SramBuffer& b : sram_buffers(arch))
    p.sram_w += b.instances * tech.sram(b.capacity_bytes, b.access_bytes).leak_w;
  return p;
}

// (1) dynamic events, (2) static power over the simulated time, (3) totals and derived rates.
EnergyReport compute_energy(const ArchSpec& arch, const TechTable& tech, const EventCounts& counts,
                            const AreaReport& area) {
  EnergyReport r;
  add_array(arch, tech, counts, r);
  add_sram(arch, tech, counts, r);
  add_dram(arch, tech, counts, r);
  add_vector_and_dma(tech, counts, r);
  for (const auto& [key, j] : r.breakdown_j) r.dynamic_j += j;

  r.seconds = simulated_seconds(arch, counts);
  StaticPower p = static_power(arch, tech, area);
  r.static_power_w = p.total_w();
  add(r, "static.logic", p.logic_w * r.seconds);
  add(r, "static.sram", p.sram_w * r.seconds);
  r.static_j = r.static_power_w * r.seconds;

  r.energy_j = r.dynamic_j + r.static_j;
  r.power_w = r.seconds > 0 ? r.energy_j / r.seconds : 0.0;
  r.tops_per_w = r.energy_j > 0 ? 2.0 * static_cast<double>(r.macs) / r.energy_j / 1e12 : 0.0;
  return r;
}

EnergyReport compute_energy(const ArchSpec& arch, const TechTable& tech, const EventCounts& counts) {
  return compute_energy(arch, tech, counts, compute_area(arch, tech));
}

}  // namespace catsim
