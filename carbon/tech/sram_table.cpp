#include "carbon/tech/sram_table.h"

#include <algorithm>
#include <cmath>

#include "carbon/tech/data_io.h"
#include "carbon/data_params.h"

namespace catsim {

SramTable SramTable::load(const ConfigNode& root) {
  SramTable t;
  t.m_access_bits = static_cast<int>(root.read_int(data_param("sram_cacti7.access_bits")));
  auto rows =
      read_number_rows(root, data_param("sram_cacti7.points"), 6);
  for (const auto& r : rows) {
    if (r[1] <= 0 || r[2] <= 0 || r[3] <= 0 || r[4] <= 0 || r[5] < 0)
      root.fail("points", "capacity, area and energies must be positive");
    t.m_points[r[0]].push_back({r[1], {r[3] * 1e3, r[4] * 1e3, r[2], r[5] * 1e-3}});
  }
  for (auto& [node, pts] : t.m_points) {
    std::sort(pts.begin(), pts.end(),
              [](const Point& a, const Point& b) { return a.capacity_bytes < b.capacity_bytes; });
    if (pts.size() < 2) root.fail("points", "node " + format_number(node) + " needs at least two capacities");
  }
  return t;
}

static double lerp(double a, double b, double w) {
  return a + w * (b - a);
}

// Energies linear in log2(capacity); area and leakage per byte likewise, then times the capacity.
SramMacro SramTable::at_sweep_node(double sweep_node, double capacity_bytes) const {
  const auto& pts = m_points.at(sweep_node);
  auto hi = std::lower_bound(pts.begin(), pts.end(), capacity_bytes,
                             [](const Point& p, double c) { return p.capacity_bytes < c; });
  if (hi == pts.begin()) hi = std::next(pts.begin());  // below the sweep: first segment, clamped below
  if (hi == pts.end()) hi = std::prev(pts.end());      // above the sweep: last segment, extrapolated
  auto lo = std::prev(hi);
  double x = std::log2(std::max(capacity_bytes, pts.front().capacity_bytes));
  double w =
      (x - std::log2(lo->capacity_bytes)) / (std::log2(hi->capacity_bytes) - std::log2(lo->capacity_bytes));
  double wd = std::min(w, 1.0);  // densities stay at the last point's beyond the sweep
  SramMacro m;
  m.read_pj = lerp(lo->m.read_pj, hi->m.read_pj, w);
  m.write_pj = lerp(lo->m.write_pj, hi->m.write_pj, w);
  m.area_mm2 =
      capacity_bytes * lerp(lo->m.area_mm2 / lo->capacity_bytes, hi->m.area_mm2 / hi->capacity_bytes, wd);
  m.leak_w = capacity_bytes * lerp(lo->m.leak_w / lo->capacity_bytes, hi->m.leak_w / hi->capacity_bytes, wd);
  return m;
}

static double loglog(double a, double b, double w) {
  return std::exp(lerp(std::log(a), std::log(b), w));
}

SramMacro SramTable::macro(double capacity_bytes, double node_nm, const NodeScaling& scaling) const {
  auto hi = m_points.lower_bound(node_nm);
  if (hi != m_points.end() && hi->first == node_nm) return at_sweep_node(node_nm, capacity_bytes);
  if (hi != m_points.begin() && hi != m_points.end()) {  // between two sweep nodes
    auto lo = std::prev(hi);
    double w = std::log(node_nm / lo->first) / std::log(hi->first / lo->first);
    SramMacro a = at_sweep_node(lo->first, capacity_bytes), b = at_sweep_node(hi->first, capacity_bytes);
    return {loglog(a.read_pj, b.read_pj, w), loglog(a.write_pj, b.write_pj, w),
            loglog(a.area_mm2, b.area_mm2, w), loglog(a.leak_w, b.leak_w, w)};
  }
  double from = hi == m_points.end() ? m_points.rbegin()->first : m_points.begin()->first;
  SramMacro m = at_sweep_node(from, capacity_bytes);
  double e = scaling.energy(node_nm) / scaling.energy(from);
  double a = scaling.area(node_nm) / scaling.area(from);
  return {m.read_pj * e, m.write_pj * e, m.area_mm2 * a, m.leak_w * e};
}

}  // namespace catsim
