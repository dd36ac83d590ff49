#pragma once
// Small readers shared by the loaders of configs/tech/*.yaml and configs/regions.yaml: numeric-keyed maps,
// number lists, and the location of the shipped data directory.

#include <map>
#include <string>
#include <vector>

#include "arch/config/config_node.h"
#include "arch/config/param.h"
#include "arch/config/overrides.h"  // data_dir()

namespace catsim {


// `key: {45: 1.0, 32: 0.659}` -> {45 -> 1.0, 32 -> 0.659}: every key a node in nm, (0, 180]; every value read
// through `value` (its range and meaning). An empty table is an error.
std::map<double, double> read_node_map(const ConfigNode& parent, std::string_view key, const Param& value);
// `key: {a: 1, b: 2}` -> {"a" -> 1, "b" -> 2}; each value read through `value`, an error at its own line.
std::map<std::string, double> read_number_map(const ConfigNode& parent, std::string_view key, const Param& value);
// `KEY: [1, 2, 3]`, KEY the last part of p's path: each item within p's range (and whole for an integer
// parameter), checked at full width before the caller narrows it.
std::vector<double> read_number_list(const ConfigNode& parent, const Param& p);
// `KEY: [[1, 2], [3, 4]]`, every row `width` numbers long, each within p's range.
std::vector<std::vector<double>> read_number_rows(const ConfigNode& parent, const Param& p, std::size_t width);

// Shortest text that reads back as the same double ("0.5", "45", "3e+07").
std::string format_number(double v);
// Lower-case copy, for case-insensitive names.
std::string lower(std::string s);

}  // namespace catsim
