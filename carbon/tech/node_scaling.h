#pragma once
// Stillmaker-Baas factors that carry an energy or area figure from one CMOS node to another
// (configs/tech/node_scaling.yaml). Nodes between listed ones are interpolated in log-log.

#include <map>
#include <string>
#include <vector>

#include "arch/config/config_node.h"

namespace catsim {

// How a figure changes with the node: dynamic energy, area, leakage per mm2 (energy/area), or not at all.
enum class Scaling { energy, area, leak_density, none };

class NodeScaling {
 public:
  NodeScaling(std::map<double, double> energy, std::map<double, double> area, std::vector<int> supported);
  static NodeScaling load(const ConfigNode& root);

  // Factor relative to the 45 nm reference; `node_nm` must lie within the listed range.
  double energy(double node_nm) const { return interpolate(m_energy, node_nm); }
  double area(double node_nm) const { return interpolate(m_area, node_nm); }
  double factor(Scaling kind, double node_nm) const;
  // A figure of `value` measured at `from_nm`, carried to `to_nm`.
  double carry(Scaling kind, double value, double from_nm, double to_nm) const {
    return value * factor(kind, to_nm) / factor(kind, from_nm);
  }

  // Range of nodes a figure may be measured at or carried to (the tabulated span).
  double min_nm() const { return m_energy.begin()->first; }
  double max_nm() const { return m_energy.rbegin()->first; }
  bool supported(int node_nm) const;
  const std::vector<int>& supported_nodes() const { return m_supported; }
  std::string supported_list() const;  // "45|32|...|3", for error messages

 private:
  static double interpolate(const std::map<double, double>& table, double node_nm);

  std::map<double, double> m_energy;
  std::map<double, double> m_area;
  std::vector<int> m_supported;
};

}  // namespace catsim
