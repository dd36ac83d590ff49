#pragma once
// Timing of a chain of fold placements run back to back on one array, the way the engine runs an op's
// tiles: a tile boundary inside a fold continues it (no reload, refill or drain), so an op's array time
// is the PE-level time of all its folds, whatever the scratchpad cut them into. sim/pe/ proves it.

#include <cstdint>
#include <vector>

#include "arch/dataflow.h"
#include "sim/systolic/fold_timing.h"

namespace catsim {

// A run of consecutive placements that stream the same number of cycles (a chain is stored as runs, so
// an op of millions of folds on a tiny array costs a few entries, not one per fold).
struct FoldRun {
  std::int64_t count = 0, slots = 0;
};

// Stream start cycle of every placement (one placement = one fold loaded once, streaming `slots`
// cycles) and the cycle the chain completes (last MAC of the last placement in PE(R-1, C-1), as
// array_cycles() counts it). Placements may stream different lengths (a share's edge, a reloaded fold).
//   pipelined WS/IS: S0 = R,  S(i+1) = S(i) + max(T(i), R)
//   pipelined OS:    S0 = 0,  S1 = T0,  S(i+1) = S(i) + max(T(i), R) for i >= 1
//   scalesim:        every placement loads (WS/IS: R), fills and drains alone: the next starts
//                    per-fold cycles after the previous one, OS: R + C + T - 2, WS/IS: 2R + C + T - 2
//   end = S(last) + T(last) + R + C - 2
// For equal T this is exactly array_cycles() of the whole GEMM.
class FoldChain {
 public:
  FoldChain(Dataflow dataflow, ArrayTiming timing, ArrayShape array, std::vector<FoldRun> runs);

  std::int64_t placements() const { return m_first_index.empty() ? 0 : m_first_index.back() + m_runs.back().count; }
  // The cycles the placements stream, all together; end() - this is the chain's fill and drain.
  std::int64_t stream_cycles() const;
  std::int64_t start(std::int64_t placement) const;  // stream start cycle of a placement
  std::int64_t end() const { return m_end; }

 private:
  std::int64_t step(std::int64_t slots) const;  // start to start, between two placements (not the first)
  Dataflow m_dataflow;
  ArrayTiming m_timing;
  ArrayShape m_array;
  std::vector<FoldRun> m_runs;
  std::vector<std::int64_t> m_first_index, m_first_start;  // per run: its first placement and start cycle
  std::int64_t m_end = 0;
};

// Placements given one by one (tests): runs of one.
FoldChain chain_folds(Dataflow dataflow, ArrayTiming timing, ArrayShape array, const std::vector<std::int64_t>& slots);

// The completion cycle of a chain of `folds` placements that all stream `slots` cycles, in closed form.
std::uint64_t chain_cycles(Dataflow dataflow, ArrayTiming timing, ArrayShape array, std::int64_t folds, std::int64_t slots);

// A stream cut into chunks: every chunk streams `slots` cycles but the last, which streams `last_slots`
// (the stream's remainder; a single chunk streams only `last_slots`).
struct StreamChunks {
  std::int64_t chunks = 1, slots = 0, last_slots = 0;
};

// The completion cycle of a chain in which each of `folds` folds is placed once per stream chunk; the first
// placement streams chunk 0 and the last the final chunk (a tile's folds run chunk by chunk, partial sums
// kept outside the array between chunks). Exact, closed form.
std::uint64_t chunked_chain_cycles(Dataflow dataflow, ArrayTiming timing, ArrayShape array, std::int64_t folds,
                                   StreamChunks stream);

// One array command's share of a chain: it streams placements [first, last] and stops after `last_slot`
// slots of placement `last` (its whole stream when the command ends the placement).
struct ChainSegment {
  std::size_t last = 0;
  std::int64_t last_slot = 0;
};

// End cycle of each command: the cycle after its last slot entered the array; the chain's final command
// ends when the chain completes (fill and drain of the last fold included). Busy cycles of command i are
// end(i) - end(i-1), so a chain of commands run without stalls takes exactly the chain's cycles.
std::vector<std::int64_t> command_ends(const FoldChain& chain, const std::vector<ChainSegment>& commands);

}  // namespace catsim
