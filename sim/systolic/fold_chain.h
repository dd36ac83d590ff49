#pragma once
// Timing of a chain of fold placements run back to back on one array, the way the engine runs an op's
// tiles: a tile boundary inside a fold continues it (no reload, refill or drain), so an op's array time
// is the PE-level time of all its folds, whatever the scratchpad cut them into. sim/pe/ proves it.

#include <cstdint>
#include <vector>

#include "arch/dataflow.h"
#include "sim/systolic/fold_timing.h"

namespace catsim {

// Stream start cycle of every placement (one placement = one fold loaded once, streaming `slots`
// cycles) and the cycle the chain completes (last MAC of the last placement in PE(R-1, C-1), as
// array_cycles() counts it). Placements may stream different lengths (a share's edge, a reloaded fold).
//   pipelined WS/IS: S0 = R,  S(i+1) = S(i) + max(T(i), R)
//   pipelined OS:    S0 = 0,  S1 = T0,  S(i+1) = S(i) + max(T(i), R) for i >= 1
//   scalesim:        every placement loads (WS/IS: R), fills and drains alone: the next starts
//                    per-fold cycles after the previous one, OS: R + C + T - 2, WS/IS: 2R + C + T - 2
//   end = S(last) + T(last) + R + C - 2
// For equal T this is exactly array_cycles() of the whole GEMM.
struct FoldChain {
  std::vector<std::int64_t> starts;
  std::int64_t end = 0;
};

FoldChain chain_folds(Dataflow dataflow, ArrayTiming timing, ArrayShape array, const std::vector<std::int64_t>& slots);

// The completion cycle of a chain of `folds` placements that all stream `slots` cycles, in closed form.
std::uint64_t chain_cycles(Dataflow dataflow, ArrayTiming timing, ArrayShape array, std::int64_t folds, std::int64_t slots);

// The completion cycle of a chain in which each of `folds` folds is placed once per stream chunk, chunk c
// streaming chunk_slots[c] cycles; the first placement streams chunk 0 and the last the final chunk (a
// tile's folds run chunk by chunk, partial sums kept outside the array between chunks). Exact, O(chunks).
std::uint64_t chunked_chain_cycles(Dataflow dataflow, ArrayTiming timing, ArrayShape array, std::int64_t folds,
                                   const std::vector<std::int64_t>& chunk_slots);

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
