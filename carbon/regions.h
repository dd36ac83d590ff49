#pragma once
// Carbon intensity of electricity by place and year (configs/regions.yaml): fab locations for embodied
// carbon, cloud regions and countries for operational carbon.

#include <optional>
#include <string>
#include <vector>

#include "arch/config/config_node.h"

namespace catsim {

struct RegionValue {
  std::string name;  // as written in the data file
  int year = 0;      // year of the table it came from
  double g_per_kwh = 0;
  std::string source;
  std::string label() const { return name + "@" + std::to_string(year); }
};

// Several year-stamped tables of one kind. Lookups are case-insensitive; "name@year" picks a year,
// a bare name the newest table that has it.
class RegionTable {
 public:
  static RegionTable load(const ConfigNode& parent, std::string_view key);

  std::optional<RegionValue> find(const std::string& query) const;
  std::vector<std::string> names() const;  // sorted, without years
  std::string known_list() const;          // "name (years), ..." for error messages

 private:
  struct Table {
    int year = 0;
    std::string source;
    std::vector<std::pair<std::string, double>> values;
  };
  std::vector<Table> m_tables;  // newest first
};

struct RegionTables {
  RegionTable fab;
  RegionTable grid;
  std::string default_grid_region;
  static RegionTables load(const std::string& file);
};

}  // namespace catsim
