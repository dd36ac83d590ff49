#include "api/op_report.h"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

#include "carbon/area/area_model.h"
#include "carbon/tech/tech_table.h"
#include "sim/run/result_json.h"

namespace catsim {
namespace {

// ",bytes" for every buffer in SramBufferKind order: ifmap, weight, ofmap, vector, global (kOpsCsvColumns).
std::string buffer_columns(const SramByteCounts& bytes) {
  std::string s;
  bytes.for_each([&](SramBufferKind, std::string_view, std::uint64_t n) { s += fmt::format(",{}", n); });
  return s;
}

// Sum of the breakdown entries whose key starts with `prefix` (e.g. "sram." or "array.").
double group(const std::map<std::string, double>& parts, const std::string& prefix) {
  double s = 0;
  for (const auto& [k, j] : parts)
    if (k.rfind(prefix, 0) == 0) s += j;
  return s;
}

// A CSV field: quoted when it holds a comma or a quote.
std::string field(const std::string& s) {
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

const char* const kOpsCsvColumns =
    "name,kind,shape,cycles,start_cycle,end_cycle,bound,macs,array_utilization,dram_bytes,"
    "dram_read_bytes,dram_write_bytes,compulsory_dram_bytes,global_read_bytes,global_write_bytes,"
    "sram_read_ifmap_bytes,sram_read_weight_bytes,sram_read_ofmap_bytes,sram_read_vector_bytes,sram_read_global_bytes,"
    "sram_write_ifmap_bytes,sram_write_weight_bytes,sram_write_ofmap_bytes,sram_write_vector_bytes,"
    "sram_write_global_bytes,energy_j,energy_array_j,energy_sram_j,energy_dram_j,energy_vector_j,energy_dma_j,"
    "fill_drain_cycles";

void add_op_details(nlohmann::json& ops, const SimulationResult& r, const std::vector<EnergyReport>& energies) {
  for (std::size_t i = 0; i < r.ops.size() && i < ops.size(); ++i) {
    const OpResult& o = r.ops[i];
    nlohmann::json& j = ops[i];
    j["energy_j"] = energies[i].energy_j;
    j["energy_breakdown_j"] = energies[i].breakdown_j;
    j["sram_read_bytes"] = every_count_json(o.counts.sram_read_bytes);
    j["sram_write_bytes"] = every_count_json(o.counts.sram_write_bytes);
    j["dram_read_bytes"] = o.dram_read_bytes;
    j["dram_write_bytes"] = o.dram_write_bytes;
    j["global_read_bytes"] = o.global_read_bytes;
    j["global_write_bytes"] = o.global_write_bytes;
  }
}

std::string op_report_csv(const SimulationResult& r, const std::vector<EnergyReport>& energies) {
  std::string s = std::string(kOpsCsvColumns) + "\n";
  for (std::size_t i = 0; i < r.ops.size(); ++i) {
    const OpResult& o = r.ops[i];
    const auto& e = energies[i].breakdown_j;
    s += fmt::format("{},{},{},{},{},{},{},{},{:.4f},{},{},{},{},{},{}", field(o.name), o.kind, field(o.shape), o.cycles,
                     o.start_cycle, o.end_cycle, name_of(o.bound), o.macs, o.utilization, o.dram_bytes,
                     o.dram_read_bytes, o.dram_write_bytes, o.compulsory_dram_bytes, o.global_read_bytes,
                     o.global_write_bytes);
    s += buffer_columns(o.counts.sram_read_bytes) + buffer_columns(o.counts.sram_write_bytes);
    s += fmt::format(",{:.6e},{:.6e},{:.6e},{:.6e},{:.6e},{:.6e},{}\n", energies[i].energy_j, group(e, "array."),
                     group(e, "sram."), group(e, "dram."), group(e, "vector."), group(e, "dma"), o.fill_drain_cycles);
  }
  return s;
}

std::string energy_csv(const std::map<std::string, double>& breakdown_j, double total_j) {
  std::string s = "event,energy_j,fraction\n";
  for (const auto& [k, j] : breakdown_j) s += fmt::format("{},{:.6e},{:.6f}\n", k, j, total_j > 0 ? j / total_j : 0.0);
  s += fmt::format("total,{:.6e},{:.6f}\n", total_j, total_j > 0 ? 1.0 : 0.0);
  return s;
}

}  // namespace catsim
