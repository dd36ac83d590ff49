#include "carbon/regions.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>

#include "carbon/tech/data_io.h"
#include "carbon/data_params.h"

namespace catsim {

RegionTable RegionTable::load(const ConfigNode& parent, std::string_view key) {
  RegionTable t;
  for (const ConfigNode& n : parent.list_of_maps(key)) {
    Table table;
    table.year = static_cast<int>(n.read_int(data_param("regions.KIND.year")));
    table.source = n.read_text(data_param("regions.KIND.source"));
    for (const auto& [name, v] : read_number_map(n, "values", data_param("regions.KIND.values.REGION")))
      table.values.emplace_back(name, v);
    n.finish();
    t.m_tables.push_back(std::move(table));
  }
  std::stable_sort(t.m_tables.begin(), t.m_tables.end(),
                   [](const Table& a, const Table& b) { return a.year > b.year; });
  return t;
}

std::optional<RegionValue> RegionTable::find(const std::string& query) const {
  std::string name = lower(query);
  std::optional<int> year;
  if (auto at = name.find('@'); at != std::string::npos) {
    int y = 0;
    auto [ptr, ec] = std::from_chars(name.data() + at + 1, name.data() + name.size(), y);
    if (ec != std::errc() || ptr != name.data() + name.size()) return std::nullopt;
    year = y;
    name.resize(at);
  }
  for (const Table& t : m_tables) {
    if (year && t.year != *year) continue;
    for (const auto& [n, v] : t.values)
      if (lower(n) == name) return RegionValue{n, t.year, v, t.source};
  }
  return std::nullopt;
}

std::vector<std::string> RegionTable::names() const {
  std::vector<std::string> out;
  for (const Table& t : m_tables)
    for (const auto& [n, v] : t.values)
      if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  std::sort(out.begin(), out.end());
  return out;
}

std::string RegionTable::known_list() const {
  std::map<std::string, std::string> years;
  for (const Table& t : m_tables)
    for (const auto& [n, v] : t.values) years[n] += (years[n].empty() ? "" : ", ") + std::to_string(t.year);
  std::string s;
  for (const auto& [n, y] : years) s += (s.empty() ? "" : "; ") + n + " (" + y + ")";
  return s;
}

RegionTables RegionTables::load(const std::string& file) {
  ConfigNode root = ConfigNode::load_file(file);
  RegionTables r{RegionTable::load(root, "fab"), RegionTable::load(root, "grid"), ""};
  ConfigNode defaults = root.map("defaults");
  r.default_grid_region = defaults.read_text(data_param("regions.defaults.grid_region"));
  if (!r.grid.find(r.default_grid_region)) defaults.fail("grid_region", "not in the grid tables");
  defaults.finish();
  root.finish();
  return r;
}

}  // namespace catsim
