#include "sim/systolic/fold_chain.h"

#include <algorithm>
#include <stdexcept>

namespace catsim {

FoldChain::FoldChain(Dataflow dataflow, ArrayTiming timing, ArrayShape array, std::vector<FoldRun> runs)
    : m_dataflow(dataflow), m_timing(timing), m_array(array) {
  for (const FoldRun& r : runs) {
    if (r.count < 0 || r.slots < 1) throw std::invalid_argument("a fold placement streams at least one slot");
    if (r.count > 0) m_runs.push_back(r);
  }
  const bool os = dataflow == Dataflow::os;
  std::int64_t index = 0, s = os ? 0 : array.rows;
  for (const FoldRun& r : m_runs) {
    m_first_index.push_back(index);
    m_first_start.push_back(s);
    // OS's first placement is followed after T0 (the shadows start empty), every other one after step().
    const bool first = index == 0 && os && timing == ArrayTiming::pipelined;
    s += first ? r.slots + (r.count - 1) * step(r.slots) : r.count * step(r.slots);
    index += r.count;
  }
  if (!m_runs.empty()) m_end = start(index - 1) + m_runs.back().slots + array.rows + array.cols - 2;
}

std::int64_t FoldChain::stream_cycles() const {
  std::int64_t total = 0;
  for (const FoldRun& r : m_runs) total += r.count * r.slots;
  return total;
}

std::int64_t FoldChain::step(std::int64_t slots) const {
  const std::int64_t r = m_array.rows, c = m_array.cols;
  if (m_timing == ArrayTiming::scalesim) return (m_dataflow == Dataflow::os ? 0 : r) + r + c + slots - 2;
  return std::max(slots, r);
}

std::int64_t FoldChain::start(std::int64_t placement) const {
  if (placement < 0 || placement >= placements()) throw std::invalid_argument("placement beyond its fold chain");
  const std::size_t run = static_cast<std::size_t>(
      std::upper_bound(m_first_index.begin(), m_first_index.end(), placement) - m_first_index.begin() - 1);
  const std::int64_t j = placement - m_first_index[run], slots = m_runs[run].slots;
  const bool os_first = run == 0 && m_dataflow == Dataflow::os && m_timing == ArrayTiming::pipelined;
  if (os_first && j > 0) return m_first_start[run] + slots + (j - 1) * step(slots);
  return m_first_start[run] + j * step(slots);
}

FoldChain chain_folds(Dataflow dataflow, ArrayTiming timing, ArrayShape array, const std::vector<std::int64_t>& slots) {
  std::vector<FoldRun> runs;
  for (std::int64_t t : slots) runs.push_back({1, t});
  return FoldChain(dataflow, timing, array, std::move(runs));
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
                                   StreamChunks stream) {
  if (folds < 1 || stream.chunks < 1) return 0;
  const std::int64_t r = array.rows, c = array.cols, n = folds * stream.chunks, full = stream.chunks - 1;
  const std::int64_t last = stream.last_slots, first = full > 0 ? stream.slots : last;
  const bool os = dataflow == Dataflow::os;
  // Over all placements: sum of max(T, R) and sum of T.
  const std::int64_t periods = folds * (full * std::max(stream.slots, r) + std::max(last, r));
  const std::int64_t lengths = folds * (full * stream.slots + last);
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
    ends[i] = i + 1 == commands.size() ? chain.end() : chain.start(static_cast<std::int64_t>(seg.last)) + seg.last_slot;
  }
  return ends;
}

}  // namespace catsim
