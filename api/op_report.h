#pragma once
// Per-op reports like SCALE-Sim's and Accelergy's: each op's dynamic energy with its breakdown, SRAM
// reads and writes per buffer, DRAM and global-buffer reads and writes; as CSV columns and JSON ops[].

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/evaluation.h"
#include "carbon/energy/energy_model.h"
#include "sim/run/simulation.h"

namespace catsim {

// op_energies(): see api/evaluation.h (the fidelity decides how an op's energy is priced).

// Adds energy_j, energy_breakdown_j, sram_read_bytes, sram_write_bytes, dram_read_bytes, dram_write_bytes,
// global_read_bytes and global_write_bytes to every entry of `ops` (the JSON ops[] of the same run).
void add_op_details(nlohmann::json& ops, const SimulationResult& r, const std::vector<EnergyReport>& energies);

// The per-op table as CSV, one row per op; kOpsCsvColumns names the columns in order.
std::string op_report_csv(const SimulationResult& r, const std::vector<EnergyReport>& energies);
extern const char* const kOpsCsvColumns;

// energy.csv: one row per energy event of the whole run (key, joules, share of the total).
std::string energy_csv(const std::map<std::string, double>& breakdown_j, double total_j);

}  // namespace catsim
