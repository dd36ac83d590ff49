#pragma once
// Max-min fair rates of flows sharing resources of fixed capacity (progressive filling): every flow's
// rate rises together until a resource it uses saturates or it reaches its own cap. Plain C++, no SystemC.

#include <cstdint>
#include <limits>
#include <vector>

namespace catsim {

// A flow loads `resource` with `weight` x its rate.
struct ResourceUse {
  int resource = 0;
  double weight = 1;
};

struct FlowDemand {
  const std::vector<ResourceUse>* uses = nullptr;
  double cap = std::numeric_limits<double>::infinity();  // the flow's own maximum rate
};

// Solves rates for a set of flows; keeps its scratch vectors between calls (it runs on every transfer
// start and end, so it must not allocate).
class FlowSolver {
 public:
  explicit FlowSolver(std::vector<double> capacity);

  // rates[i] = max-min fair rate of flows[i]; no resource is loaded beyond its capacity.
  void solve(const std::vector<FlowDemand>& flows, std::vector<double>& rates);
  double capacity(int resource) const { return m_capacity[static_cast<std::size_t>(resource)]; }
  void set_capacity(int resource, double capacity) { m_capacity[static_cast<std::size_t>(resource)] = capacity; }

 private:
  std::vector<double> m_capacity;
  std::vector<double> m_load;    // load of the frozen flows, per resource
  std::vector<double> m_weight;  // summed weight of the unfrozen flows, per resource
  std::vector<int> m_touched;    // resources used by any flow of this call
  std::vector<char> m_frozen;
  std::vector<char> m_saturated, m_mark;  // per resource: saturated at this level; listed in m_touched
};

}  // namespace catsim
