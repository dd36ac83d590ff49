#include "search/driver/hypervolume.h"

#include <pagmo/utils/hypervolume.hpp>

namespace catsim {

double hypervolume(MetricMode m, const std::vector<PointResult>& results, const std::vector<double>& ref,
                   const std::vector<double>& ideal) {
  if (ref.empty()) return 0;
  std::vector<std::vector<double>> pts;
  for (const std::size_t i : pareto_front(m, results)) {
    auto o = objectives(m, results[i]);
    bool inside = true;
    for (std::size_t k = 0; k < o.size(); ++k) {
      o[k] = (o[k] - ideal[k]) / (ref[k] - ideal[k]);
      inside = inside && o[k] < 1.0;
    }
    if (inside) pts.push_back(o);
  }
  if (pts.empty()) return 0;
  return pagmo::hypervolume(pts, false).compute(std::vector<double>(ref.size(), 1.0));
}

}  // namespace catsim
