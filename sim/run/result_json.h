#pragma once
// JSON and CSV forms of a simulation result; every stat is named with its unit.

#include <nlohmann/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/enum_counts.h"
#include "sim/run/simulation.h"

namespace catsim {

nlohmann::json to_json(const SimulationResult& r);
// The run's `dram` object (to_json includes it).
nlohmann::json dram_json(const SimulationResult& r);

// Counts by key as a JSON object {name: count}: every key (SRAM bytes list each buffer, zeros included)
// or only the keys with a non-zero count (MACs by precision, vector ops by kind).
template <typename E, std::size_t N>
nlohmann::json every_count_json(const EnumCounts<E, N>& counts) {
  nlohmann::json j = nlohmann::json::object();
  counts.for_each([&](E, std::string_view name, std::uint64_t n) { j[std::string(name)] = n; });
  return j;
}
template <typename E, std::size_t N>
nlohmann::json nonzero_count_json(const EnumCounts<E, N>& counts) {
  nlohmann::json j = nlohmann::json::object();
  counts.for_each_nonzero([&](E, std::string_view name, std::uint64_t n) { j[std::string(name)] = n; });
  return j;
}
std::string ops_csv(const SimulationResult& r);

}  // namespace catsim
