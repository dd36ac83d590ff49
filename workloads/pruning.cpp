#include "workloads/pruning.h"

#include "workloads/model_params.h"

namespace catsim {
namespace {

void check_at_most(const ConfigNode& n, const char* key, std::int64_t kept, std::int64_t original) {
  if (kept > original)
    n.fail(key, "cannot keep " + std::to_string(kept) + ", the model has " + std::to_string(original) +
                    " (expected 1.." + std::to_string(original) + ")");
}

}  // namespace

Pruning parse_pruning(const ConfigNode& n) {
  Pruning p;
  p.layers = n.read_int_if(model_param("pruning.layers"));
  p.heads = n.read_int_if(model_param("pruning.heads"));
  p.kv_heads = n.read_int_if(model_param("pruning.kv_heads"));
  p.ffn = n.read_int_if(model_param("pruning.ffn"));
  p.hidden = n.read_int_if(model_param("pruning.hidden"));
  n.finish();
  return p;
}

TowerSpec apply_pruning(const TowerSpec& o, const Pruning& p, const ConfigNode& n) {
  TowerSpec t = o;
  if (p.layers) check_at_most(n, "layers", *p.layers, o.layers), t.layers = *p.layers;
  if (p.ffn) check_at_most(n, "ffn", *p.ffn, o.ffn), t.ffn = *p.ffn;
  if (p.hidden) check_at_most(n, "hidden", *p.hidden, o.hidden), t.hidden = *p.hidden;
  if (p.heads) check_at_most(n, "heads", *p.heads, o.heads), t.heads = *p.heads;
  if (p.kv_heads) {
    check_at_most(n, "kv_heads", *p.kv_heads, o.kv_heads);
    t.kv_heads = *p.kv_heads;
  } else if (o.kv_heads == o.heads) {
    t.kv_heads = t.heads;  // multi-head attention stays multi-head
  } else {
    std::int64_t group = o.heads / o.kv_heads;
    if (t.heads % group != 0)
      n.fail("heads", std::to_string(t.heads) + " heads is not a multiple of the GQA group size " +
                          std::to_string(group) + " (expected a multiple, or give pruning.kv_heads)");
    t.kv_heads = t.heads / group;
  }
  if (t.heads % t.kv_heads != 0)
    n.fail(p.kv_heads ? "kv_heads" : "heads", "kv_heads " + std::to_string(t.kv_heads) + " does not divide heads " +
                                                  std::to_string(t.heads) + " (expected a divisor)");
  return t;
}

}  // namespace catsim
