#pragma once
// Which stream chunks of each tile of a share run under a causal mask. A tile whose products are all masked
// is skipped; a tile's masked chunks at either end of its stream are trimmed (a masked chunk between live
// ones still runs: it only arises when stacked heads put queries on the stream). The compiler emits, and
// the PE-level replay runs, exactly these chunks.

#include <cstdint>
#include <vector>

#include "sim/compile/causal_mask.h"
#include "sim/compile/gemm_mapping.h"

namespace catsim {

// Chunks [first, last] of a tile's stream run; none when first > last.
struct ChunkSpan {
  std::int64_t first = 0, last = -1;
  bool empty() const { return first > last; }
  bool holds(std::int64_t c) const { return c >= first && c <= last; }
};

class TileSpans {
 public:
  TileSpans(Dataflow dataflow, const GemmMapping& g, RoleSizes sizes, const CausalMask& mask);

  const ChunkSpan& span(std::int64_t i1, std::int64_t i2) const { return m_spans[static_cast<std::size_t>(i1 * m_n2 + i2)]; }
  // Whether K tile i1 is the last one to run for chunk c of column i2 (WS/IS outputs accumulate along P1).
  bool last_k(std::int64_t i1, std::int64_t i2, std::int64_t c) const {
    return i1 == m_n1 - 1 || !span(i1 + 1, i2).holds(c);
  }
  std::int64_t skipped() const { return m_skipped; }  // chunk steps skipped per instance

 private:
  std::int64_t m_n1 = 0, m_n2 = 0, m_skipped = 0;
  std::vector<ChunkSpan> m_spans;
};

// The fraction of a mapping's (query block, key block) pairs that hold an unmasked product, in time
// proportional to the query blocks: what the mapper ranks candidates by (TileSpans' trimming is exact per
// tile but costs a pass over every tile and chunk, too much for hundreds of candidates on a tiny array).
double causal_live_fraction(Dataflow dataflow, const GemmMapping& g, RoleSizes sizes, const CausalMask& mask);

// One fold placement of a share, in the order the array runs them: instance and fold index along P1, P2.
struct FoldVisit {
  std::int64_t inst = 0, f1 = 0, f2 = 0;
  std::int64_t s_lo = 0, s_hi = 0;  // the stream elements this placement runs
};

// The array's fold order for a share of `instances` x P1 x P2 under mapping `g`: instances in turn, tiles
// in loop order, and inside a tile its folds in the same order (P1-major when P1 is the outer loop); only
// the chunks `spans` lets run.
std::vector<FoldVisit> fold_order(const GemmMapping& g, RoleSizes sizes, std::int64_t instances, const TileSpans& spans);

}  // namespace catsim
