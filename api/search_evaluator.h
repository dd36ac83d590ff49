#pragma once
// The staged evaluation of one search point, run inside a worker child: (1) configuration (the base with
// the point's overrides must load), (2) feasibility without simulating (area, peak TOPS, DRAM capacity
// for the weights), (3) an analytical screen when one is configured, (4) the cycle-level simulation with
// energy, area and carbon. Each stage that stops a point records itself and the reason.

#include <functional>
#include <optional>
#include <string>

#include "arch/arch_spec.h"
#include "search/point_result.h"
#include "search/space.h"
#include "workloads/model_spec.h"

namespace catsim {

// An analytical screen: a reason to drop the point before simulating it, or nullopt to simulate.
using AnalyticScreen = std::function<std::optional<std::string>(const ArchSpec&, const ModelSpec&)>;

// The space's `screen:` (sim/analytic estimate against max_latency_s x (1 + margin)); empty when it has none.
AnalyticScreen latency_screen(const SearchSpace& space);

// The `screen` argument, when given, replaces the space's own screen (tests inject one).
// Peak tera-operations per second (2 ops per MAC) at the precision the model's matmuls run in.
double peak_tops(const ArchSpec& arch, const ModelSpec& model);

PointResult evaluate_search_point(const SearchSpace& space, const std::vector<Override>& overrides,
                                  const AnalyticScreen& screen = {});

}  // namespace catsim
