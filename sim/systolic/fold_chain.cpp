#include "sim/systolic/fold_chain.h"

#include <algorithm>
#include <stdexcept>

namespace catsim {

FoldChain chain_folds(Dataflow dataflow, ArrayTiming timing, ArrayShape array, const std::vector<std::int64_t>& slots) {
  FoldChain chain;
  if (slots.empty()) return chain;
  const std::int64_t r = array.rows, c = array.cols;
  const bool os = dataflow == Dataflow::os;
  chain.starts.resize(slots.size());
  std::int64_t s = os ? 0 : r;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i] < 1) throw std::invalid_argument("a fold placement streams at least one slot");
    chain.starts[i] = s;
    if (timing == ArrayTiming::scalesim) s += (os ? 0 : r) + r + c + slots[i] - 2;
    else s += os && i == 0 ? slots[i] : std::max(slots[i], r);
  }
  chain.end = chain.starts.back() + slots.back() + r + c - 2;
  return chain;
}

std::uint64_t chain_cycles(Dataflow dataflow, ArrayTiming timing, ArrayShape array, std::int64_t folds, std::int64_t slots) {
  if (folds < 1) return 0;
  const std::int64_t r = array.rows, c = array.cols, t = slots, last = t + r + c - 2;
  const bool os = dataflow == Dataflow::os;
  if (timing == ArrayTiming::scalesim) return static_cast<std::uint64_t>(folds * ((os ? 0 : r) + last));
  if (!os) return static_cast<std::uint64_t>(r + (folds - 1) * std::max(t, r) + last);
  if (folds == 1) return static_cast<std::uint64_t>(last);
  return static_cast<std::uint64_t>(t + (folds - 2) * std::max(t, r) + last);
}

std::uint64_t chunked_chain_cycles(Dataflow dataflow, ArrayTiming timing, ArrayShape array, std::int64_t folds,
                                   const std::vector<std::int64_t>& chunk_slots) {
  if (folds < 1 || chunk_slots.empty()) return 0;
  const std::int64_t r = array.rows, c = array.cols, n = folds * static_cast<std::int64_t>(chunk_slots.size());
  const std::int64_t first = chunk_slots.front(), last = chunk_slots.back();
  const bool os = dataflow == Dataflow::os;
  std::int64_t periods = 0, lengths = 0;  // over all placements: sum of max(T, R), sum of T
  for (std::int64_t t : chunk_slots) periods += folds * std::max(t, r), lengths += folds * t;
  if (timing == ArrayTiming::scalesim) return static_cast<std::uint64_t>(n * ((os ? 0 : r) + r + c - 2) + lengths);
  const std::int64_t tail = last + r + c - 2;
  if (!os) return static_cast<std::uint64_t>(r + periods - std::max(last, r) + tail);
  if (n == 1) return static_cast<std::uint64_t>(tail);
  return static_cast<std::uint64_t>(first + periods - std::max(first, r) - std::max(last, r) + tail);
}

std::vector<std::int64_t> command_ends(const FoldChain& chain, const std::vector<ChainSegment>& commands) {
  std::vector<std::int64_t> ends(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const ChainSegment& seg = commands[i];
    if (seg.last >= chain.starts.size()) throw std::invalid_argument("array command beyond its fold chain");
    ends[i] = i + 1 == commands.size() ? chain.end : chain.starts[seg.last] + seg.last_slot;
  }
  return ends;
}

}  // namespace catsim
