#pragma once
// The representative layers of an operator graph: every op outside the layer stack, and of each tower's
// stack the first, second and last layer. Middle layers whose ops, shapes and dependencies repeat the
// second layer's are answered by it; the compiler maps them identically, so counting the sample is enough.

#include <vector>

#include "workloads/op_graph.h"

namespace catsim {

struct LayerSample {
  OpGraph graph;                // the sampled ops in graph order, dependencies renumbered
  std::vector<int> represent;   // per op of the full graph: the index of the sampled op that stands for it
  bool reduced = false;         // false when the full graph is its own sample (short or irregular stacks)
};

// Samples `full`; falls back to the whole graph when some middle layer does not repeat the second one.
LayerSample sample_layers(const OpGraph& full);

}  // namespace catsim
