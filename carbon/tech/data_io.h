#pragma once
// Small readers shared by the loaders of configs/tech/*.yaml and configs/regions.yaml: numeric-keyed maps,
// number lists, and the location of the shipped data directory.

#include <map>
#include <string>
#include <vector>

#include "arch/config/config_node.h"
#include "arch/config/overrides.h"  // data_dir()

namespace catsim {


// `key: {45: 1.0, 32: 0.659}` -> {45 -> 1.0, 32 -> 0.659}; every key and value must be a number.
std::map<double, double> read_node_map(const ConfigNode& parent, std::string_view key, std::string_view what);
// `key: {a: 1, b: 2}` -> {"a" -> 1, "b" -> 2}; each value within [lo, hi], else an error at its own line.
std::map<std::string, double> read_number_map(const ConfigNode& parent, std::string_view key, double lo, double hi,
                                              std::string_view what);
// `key: [1, 2, 3]`.
std::vector<double> read_number_list(const ConfigNode& parent, std::string_view key, std::string_view what);
// `key: [[1, 2], [3, 4]]`, every row `width` numbers long.
std::vector<std::vector<double>> read_number_rows(const ConfigNode& parent, std::string_view key,
                                                  std::size_t width, std::string_view what);

// Shortest text that reads back as the same double ("0.5", "45", "3e+07").
std::string format_number(double v);
// Lower-case copy, for case-insensitive names.
std::string lower(std::string s);

}  // namespace catsim
