#include "carbon/tech/node_scaling.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "carbon/tech/data_io.h"
#include "carbon/data_params.h"

namespace catsim {

NodeScaling::NodeScaling(std::map<double, double> energy, std::map<double, double> area,
                         std::vector<int> supported)
    : m_energy(std::move(energy)), m_area(std::move(area)), m_supported(std::move(supported)) {}

NodeScaling NodeScaling::load(const ConfigNode& root) {
  root.accept(param_leaf(data_param("node_scaling.source")));
  root.accept(param_leaf(data_param("node_scaling.notes")));
  root.read_number(data_param("node_scaling.reference_nm"));
  auto energy = read_node_map(root, "energy", data_param("node_scaling.energy.NODE"));
  auto area = read_node_map(root, "area", data_param("node_scaling.area.NODE"));
  for (const auto& [node, f] : energy)
    if (!area.count(node))
      root.fail("area", "no area factor for " + format_number(node) + " nm (energy has one)");
  if (area.size() != energy.size()) root.fail("area", "area and energy must list the same nodes");
  std::vector<int> supported;
  for (double n : read_number_list(root, data_param("node_scaling.supported_nm"))) {
    if (n < energy.begin()->first || n > energy.rbegin()->first)
      root.fail("supported_nm", "node " + format_number(n) + " nm lies outside the scaling table");
    supported.push_back(static_cast<int>(n));
  }
  root.finish();
  return NodeScaling(std::move(energy), std::move(area), std::move(supported));
}

double NodeScaling::factor(Scaling kind, double node_nm) const {
  switch (kind) {
    case Scaling::energy:
      return energy(node_nm);
    case Scaling::area:
      return area(node_nm);
    case Scaling::leak_density:
      return energy(node_nm) / area(node_nm);
    case Scaling::none:
      return 1.0;
  }
  return 1.0;
}

// Linear in log(factor) against log(node) between the two listed neighbours.
double NodeScaling::interpolate(const std::map<double, double>& table, double node_nm) {
  auto hi = table.lower_bound(node_nm);
  if (hi != table.end() && hi->first == node_nm) return hi->second;
  if (hi == table.begin() || hi == table.end())
    throw std::out_of_range("node " + format_number(node_nm) + " nm is outside the scaling table");
  auto lo = std::prev(hi);
  double w = std::log(node_nm / lo->first) / std::log(hi->first / lo->first);
  return std::exp(std::log(lo->second) + w * (std::log(hi->second) - std::log(lo->second)));
}

bool NodeScaling::supported(int node_nm) const {
  return std::find(m_supported.begin(), m_supported.end(), node_nm) != m_supported.end();
}

std::string NodeScaling::supported_list() const {
  std::string s;
  for (int n : m_supported) s += (s.empty() ? "" : "|") + std::to_string(n);
  return s;
}

}  // namespace catsim
