#pragma once
// Applies a pruning to one tower: layers kept, attention heads kept per layer (head_dim unchanged,
// kv_heads following the GQA group), FFN intermediate size and hidden size. Invalid pruning fails.

#include "arch/config/config_node.h"
#include "workloads/model_spec.h"

namespace catsim {

// Reads a `pruning:` block (keys layers, heads, kv_heads, ffn, hidden) and finishes it.
Pruning parse_pruning(const ConfigNode& n);

// The pruned tower; `where` is the pruning block, for error locations.
TowerSpec apply_pruning(const TowerSpec& original, const Pruning& p, const ConfigNode& where);

}  // namespace catsim
