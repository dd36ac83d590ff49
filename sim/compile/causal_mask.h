#pragma once
// The causal mask of an attention matmul in the compiler's coordinates: which (query row, key) products
// are masked, so that the compiler and the PE-level replay skip exactly the same tiles.

#include <cstdint>

#include "workloads/op_graph.h"

namespace catsim {

// Query rows are the GEMM's M rows: GQA stacks several heads' queries, so query = row mod `queries`. The
// query at position i sees keys 0 .. i + offset; the keys run along N (QK^T) or K (AV). A core's share
// sees the mask from its own origin (row0, key0) in the whole GEMM.
struct CausalMask {
  CausalKeys keys = CausalKeys::none;
  std::int64_t queries = 1;         // query rows per stacked head
  std::int64_t offset = 0;          // keys visible before the first query (cached tokens)
  std::int64_t row0 = 0, key0 = 0;  // the share's first row and key in the whole GEMM

  bool on() const { return keys != CausalKeys::none; }
  // Whether the product of the share's query row `row` with its key `key` is masked.
  bool masked(std::int64_t row, std::int64_t key) const {
    return on() && key + key0 > (row + row0) % queries + offset;
  }
  // Whether every product of the share's rows [r0, r1) with its keys from `k0` on is masked.
  bool all_masked(std::int64_t r0, std::int64_t r1, std::int64_t k0) const {
    if (!on() || r1 <= r0) return false;
    r0 += row0, r1 += row0;
    const bool wraps = (r1 - 1) / queries != r0 / queries;  // spans two heads: holds the last query
    const std::int64_t last_query = wraps ? queries - 1 : (r1 - 1) % queries;
    return k0 + key0 > last_query + offset;
  }
};

}  // namespace catsim
