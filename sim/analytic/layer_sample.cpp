#include "sim/analytic/layer_sample.h"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <tuple>

namespace catsim {
namespace {

// Where an op sits: its tower's stack, layer and position in the layer (-1 outside the stack).
struct Place {
  int stack = -1, layer = -1, pos = -1;
};

bool same_shape(const Op& a, const Op& b) {
  return std::tie(a.kind, a.count, a.m, a.n, a.k, a.a_prec, a.b_prec, a.out_prec, a.b_is_weight, a.bias, a.b_count,
                  a.inputs, a.act, a.macs, a.a_bytes, a.b_bytes, a.bias_bytes, a.out_bytes) ==
         std::tie(b.kind, b.count, b.m, b.n, b.k, b.a_prec, b.b_prec, b.out_prec, b.b_is_weight, b.bias, b.b_count,
                  b.inputs, b.act, b.macs, b.a_bytes, b.b_bytes, b.bias_bytes, b.out_bytes) &&
         a.deps.size() == b.deps.size();
}

// Layer j repeats layer `ref` (= 1): same ops in the same order, each reading the same positions of its own
// layer and of the layer before, and the same ops outside the stack.
bool repeats(const OpGraph& g, const std::vector<Place>& at, const std::vector<int>& layer_j,
             const std::vector<int>& layer_ref) {
  if (layer_j.size() != layer_ref.size()) return false;
  for (std::size_t p = 0; p < layer_j.size(); ++p) {
    const Op& a = g.ops[layer_j[p]];
    const Op& b = g.ops[layer_ref[p]];
    if (!same_shape(a, b)) return false;
    for (std::size_t q = 0; q < a.deps.size(); ++q) {
      const Place& da = at[a.deps[q]];
      const Place& db = at[b.deps[q]];
      const Place& self_a = at[layer_j[p]];
      const Place& self_b = at[layer_ref[p]];
      if (da.stack < 0 || da.stack != self_a.stack) {
        if (a.deps[q] != b.deps[q]) return false;  // outside the stack: the very same op
        continue;
      }
      if (db.stack != self_b.stack || da.pos != db.pos || self_a.layer - da.layer != self_b.layer - db.layer ||
          self_a.layer - da.layer > 1)
        return false;
    }
  }
  return true;
}

}  // namespace

LayerSample sample_layers(const OpGraph& full) {
  const int n = static_cast<int>(full.ops.size());
  // Stacks by tower (a model has one or two: a linear search), layers by index, ops by position.
  std::vector<std::string_view> towers;
  std::vector<std::vector<std::vector<int>>> stacks;
  std::vector<Place> at(static_cast<std::size_t>(n));
  int last = -1;
  for (int i = 0; i < n; ++i) {
    const Op& op = full.ops[i];
    if (op.layer < 0) continue;
    if (last < 0 || towers[last] != op.tower) {
      last = static_cast<int>(std::find(towers.begin(), towers.end(), op.tower) - towers.begin());
      if (last == static_cast<int>(towers.size())) towers.push_back(op.tower), stacks.emplace_back();
    }
    auto& layers = stacks[last];
    if (layers.size() <= static_cast<std::size_t>(op.layer)) layers.resize(static_cast<std::size_t>(op.layer) + 1);
    auto& ops = layers[op.layer];
    at[i] = {last, op.layer, static_cast<int>(ops.size())};
    ops.push_back(i);
  }
  std::vector<int> rep(static_cast<std::size_t>(n));
  std::iota(rep.begin(), rep.end(), 0);
  for (const auto& layers : stacks) {
    const int count = static_cast<int>(layers.size());
    const bool contiguous = std::none_of(layers.begin(), layers.end(), [](const auto& l) { return l.empty(); });
    if (count < 4 || !contiguous) continue;
    bool uniform = true;
    for (int j = 2; j < count && uniform; ++j) uniform = repeats(full, at, layers[j], layers[1]);
    if (!uniform) continue;
    for (int j = 2; j < count - 1; ++j)
      for (std::size_t p = 0; p < layers[j].size(); ++p) rep[layers[j][p]] = layers[1][p];
  }
  // A kept op may read a dropped one only as the last layer reads the one before it.
  for (int i = 0; i < n; ++i) {
    if (rep[i] != i) continue;
    for (int d : full.ops[i].deps)
      if (rep[d] != d && !(at[i].stack == at[d].stack && at[i].layer == at[d].layer + 1))
        std::iota(rep.begin(), rep.end(), 0);
  }
  LayerSample s;
  s.graph.kv_cache_bytes = full.kv_cache_bytes;
  std::vector<int> index(static_cast<std::size_t>(n), -1);
  for (int i = 0; i < n; ++i) {
    if (rep[i] != i) continue;
    index[i] = static_cast<int>(s.graph.ops.size());
    Op op = full.ops[i];
    for (int& d : op.deps) d = index[rep[d]];
    s.graph.ops.push_back(std::move(op));
  }
  s.represent.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) s.represent[i] = index[rep[i]];
  s.reduced = s.graph.ops.size() < full.ops.size();
  return s;
}

}  // namespace catsim
