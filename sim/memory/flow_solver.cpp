#include "sim/memory/flow_solver.h"

#include <algorithm>

namespace catsim {
namespace {
constexpr double kRelTol = 1e-12;  // a resource within this fraction of the level counts as saturated
}

FlowSolver::FlowSolver(std::vector<double> capacity)
    : m_capacity(std::move(capacity)),
      m_load(m_capacity.size(), 0.0),
      m_weight(m_capacity.size(), 0.0),
      m_saturated(m_capacity.size(), 0),
      m_mark(m_capacity.size(), 0) {}

void FlowSolver::solve(const std::vector<FlowDemand>& flows, std::vector<double>& rates) {
  const std::size_t n = flows.size();
  rates.assign(n, 0.0);
  m_frozen.assign(n, 0);
  m_touched.clear();
  for (const FlowDemand& f : flows)
    for (const ResourceUse& u : *f.uses)
      if (!m_mark[static_cast<std::size_t>(u.resource)]) {
        m_mark[static_cast<std::size_t>(u.resource)] = 1;
        m_touched.push_back(u.resource);
      }

  std::size_t unfrozen = n;
  while (unfrozen > 0) {
    // (1) the common level every unfrozen flow can rise to
    for (int r : m_touched) m_weight[static_cast<std::size_t>(r)] = 0.0;
    double level = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
      if (m_frozen[i]) continue;
      level = std::min(level, flows[i].cap);
      for (const ResourceUse& u : *flows[i].uses) m_weight[static_cast<std::size_t>(u.resource)] += u.weight;
    }
    for (int r : m_touched) {
      const auto k = static_cast<std::size_t>(r);
      if (m_weight[k] > 0.0) level = std::min(level, std::max(0.0, m_capacity[k] - m_load[k]) / m_weight[k]);
    }
    // (2) resources that saturate at that level
    for (int r : m_touched) {
      const auto k = static_cast<std::size_t>(r);
      m_saturated[k] =
          m_weight[k] > 0.0 && m_load[k] + m_weight[k] * level >= m_capacity[k] * (1.0 - kRelTol);
    }
    // (3) freeze the flows at their cap or on a saturated resource
    std::size_t frozen_now = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (m_frozen[i]) continue;
      bool stop = flows[i].cap <= level * (1.0 + kRelTol);
      for (const ResourceUse& u : *flows[i].uses)
        stop = stop || m_saturated[static_cast<std::size_t>(u.resource)];
      if (!stop) continue;
      rates[i] = level;
      m_frozen[i] = 1;
      ++frozen_now;
      for (const ResourceUse& u : *flows[i].uses)
        m_load[static_cast<std::size_t>(u.resource)] += u.weight * level;
    }
    if (frozen_now == 0) break;  // unreachable: the level is set by some cap or resource
    unfrozen -= frozen_now;
  }
  for (int r : m_touched) {
    const auto k = static_cast<std::size_t>(r);
    m_weight[k] = 0.0, m_load[k] = 0.0, m_saturated[k] = 0, m_mark[k] = 0;
  }
}

}  // namespace catsim
