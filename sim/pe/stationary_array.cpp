#include "sim/pe/stationary_array.h"

#include <algorithm>

#include "sim/pe/numeric.h"

namespace catsim {

template <class Arith>
StationaryArray<Arith>::StationaryArray(const EngineSetup& setup, const Grid<Num>& stationary,
                                        const Grid<Num>& streamed, RunRecorder& recorder)
    : m_setup(setup),
      m_stationary(stationary),
      m_streamed(streamed),
      m_recorder(recorder),
      m_r(setup.array.rows),
      m_c(setup.array.cols),
      m_slots(streamed.rows * setup.rate.stretch),
      m_stream_skew(setup.array.rows),
      m_load_skew(setup.array.cols) {
  const std::int64_t pe_rows = (stationary.rows + setup.rate.pack - 1) / setup.rate.pack;
  m_order = fold_sequence(setup.order, (pe_rows + m_r - 1) / m_r, (stationary.cols + m_c - 1) / m_c);
  m_folds = static_cast<int>(m_order.size());
  for (FoldRef& f : m_order)
    if (f.elem_hi < 0) f.elem_lo = 0, f.elem_hi = streamed.rows;
  m_cur.assign(static_cast<std::size_t>(m_r * m_c), Pe{});
  m_next = m_cur;
  m_port_h.resize(static_cast<std::size_t>(m_r));
  m_port_ld.resize(static_cast<std::size_t>(m_c));
}

// (1) Controller. A fold streams once the row ports are free and PE(0,0) holds its weights in shadow
// (the column's last PE to need them relative to its load). A load needs a free column port and, for
// pipelined timing, the previous fold streaming (its shadow weights are being consumed); for scalesim
// timing, the previous fold finished in PE(R-1, C-1).
template <class Arith>
void StationaryArray<Arith>::control(std::int64_t t) {
  const Pe& origin = at(m_cur, 0, 0);
  if (m_next_stream < m_folds && t >= m_stream_start + m_stream_len && origin.shadow.fold == m_next_stream)
    start_stream(t);
  const bool previous_ok = m_setup.timing == ArrayTiming::pipelined ? m_next_stream >= m_next_load
                                                                    : m_completed_fold >= m_next_load - 1;
  if (m_next_load < m_folds && t >= m_load_start + m_load_len && previous_ok) start_load(t);
  emit(t);
}

template <class Arith>
void StationaryArray<Arith>::start_stream(std::int64_t t) {
  m_stream_fold = m_next_stream++;
  m_stream_start = t;
  const FoldRef& f = m_order[static_cast<std::size_t>(m_stream_fold)];
  m_stream_len = (f.elem_hi - f.elem_lo) * m_setup.rate.stretch;
  m_recorder.fold_started(t);
}

template <class Arith>
void StationaryArray<Arith>::start_load(std::int64_t t) {
  m_load_fold = m_next_load++;
  m_load_start = t;
  m_load_len = m_r;
}

template <class Arith>
void StationaryArray<Arith>::emit(std::int64_t t) {
  StreamToken stream;
  if (m_stream_fold >= 0 && t < m_stream_start + m_stream_len) {
    const std::int64_t u = t - m_stream_start;
    const std::int64_t lo = m_order[static_cast<std::size_t>(m_stream_fold)].elem_lo;
    stream = {true, true, m_stream_fold, lo + u / m_setup.rate.stretch, u % m_setup.rate.stretch, u == 0};
  }
  m_stream_skew.push(t, stream);
  LoadToken load;
  if (m_load_fold >= 0 && t < m_load_start + m_load_len)
    load = {true, m_load_fold, m_r - 1 - static_cast<int>(t - m_load_start)};  // bottom row first
  m_load_skew.push(t, load);
}

// (2) Edge ports: row i streams the packed operands of element `elem`; column j loads the packed
// stationary operands of PE row `dest_row`.
template <class Arith>
void StationaryArray<Arith>::fill_ports(std::int64_t t) {
  const std::int64_t pack = m_setup.rate.pack;
  for (int i = 0; i < m_r; ++i) {
    Operand<Num>& op = m_port_h[static_cast<std::size_t>(i)];
    op = Operand<Num>{m_stream_skew.at(t, i), {}};
    if (!op.tag.valid) continue;
    const std::int64_t k0 = (m_order[static_cast<std::size_t>(op.tag.fold)].row_fold * m_r + i) * pack;
    for (int q = 0; q < pack; ++q) op.v[q] = m_streamed.padded(op.tag.elem, k0 + q);
  }
  for (int j = 0; j < m_c; ++j) {
    LoadReg& ld = m_port_ld[static_cast<std::size_t>(j)];
    ld = LoadReg{m_load_skew.at(t, j), {}};
    if (!ld.tag.valid) continue;
    const FoldRef& f = m_order[static_cast<std::size_t>(ld.tag.fold)];
    const std::int64_t k0 = (f.row_fold * m_r + ld.tag.dest_row) * pack;
    const std::int64_t col = f.col_fold * m_c + j;
    for (int q = 0; q < pack; ++q) ld.w[q] = m_stationary.padded(k0 + q, col);
  }
}

// (3) Every PE reads the old state and writes the new one; then the registers swap.
template <class Arith>
void StationaryArray<Arith>::step(std::int64_t t) {
  fill_ports(t);
  for (int i = 0; i < m_r; ++i)
    for (int j = 0; j < m_c; ++j) step_pe(t, i, j);
  std::swap(m_cur, m_next);
}

template <class Arith>
void StationaryArray<Arith>::step_pe(std::int64_t t, int i, int j) {
  const Pe& cur = at(m_cur, i, j);
  Pe& next = at(m_next, i, j);
  const Operand<Num>& h = j == 0 ? m_port_h[static_cast<std::size_t>(i)] : at(m_cur, i, j - 1).h;
  const LoadReg& ld = i == 0 ? m_port_ld[static_cast<std::size_t>(j)] : at(m_cur, i - 1, j).ld;
  next.h = h;
  next.active = cur.active;
  next.shadow = cur.shadow;
  next.ld = LoadReg{};
  next.psum = Psum{};
  if (h.tag.first()) {
    pe_require(cur.shadow.fold == h.tag.fold, "stream reached a PE before its weights");
    next.active = cur.shadow;
    next.shadow = Weights{};
  }
  if (ld.tag.valid && ld.tag.dest_row == i) {
    pe_require(next.shadow.fold < 0, "weight load overwrote unused shadow weights");
    next.shadow = Weights{ld.tag.fold, ld.w};
  } else if (ld.tag.valid) {
    next.ld = ld;
  }
  if (h.tag.valid) compute(t, i, j, h, next);
}

template <class Arith>
void StationaryArray<Arith>::compute(std::int64_t t, int i, int j, const Operand<Num>& h, Pe& next) {
  const StreamToken& tag = h.tag;
  pe_require(next.active.fold == tag.fold, "streamed operand met another fold's weights");
  const std::int64_t pack = m_setup.rate.pack;
  const bool complete = tag.slot == m_setup.rate.stretch - 1;
  const FoldRef& f = m_order[static_cast<std::size_t>(tag.fold)];
  const std::int64_t k0 = (f.row_fold * m_r + i) * pack;
  const std::int64_t col = f.col_fold * m_c + j;
  if (k0 < m_stationary.rows && col < m_stationary.cols)
    m_recorder.mark_active(i, j, complete ? std::min(pack, m_stationary.rows - k0) : 0);
  if (!complete) return;
  Num sum{};
  if (i > 0) {
    const Psum& in = at(m_cur, i - 1, j).psum;
    pe_require(in.valid && in.fold == tag.fold && in.elem == tag.elem, "partial sum out of step");
    sum = in.value;
  }
  for (int q = 0; q < pack; ++q) sum = Arith::mac(sum, h.v[q], next.active.w[q]);
  next.psum = Psum{true, tag.fold, tag.elem, sum};
  if (i == m_r - 1) deliver(next.psum, j);
  if (i == m_r - 1 && j == m_c - 1 && tag.elem == m_order[static_cast<std::size_t>(tag.fold)].elem_hi - 1 &&
      tag.slot == m_setup.rate.stretch - 1) {
    m_completed_fold = tag.fold;
    m_last_mac_cycle = t;
  }
}

// The output buffer adds each fold's column sums: row folds of one output arrive in order.
template <class Arith>
void StationaryArray<Arith>::deliver(const Psum& psum, int j) {
  const std::int64_t col = m_order[static_cast<std::size_t>(psum.fold)].col_fold * m_c + j;
  if (col < m_out->cols) (*m_out)(psum.elem, col) = Arith::add((*m_out)(psum.elem, col), psum.value);
}

template <class Arith>
std::int64_t StationaryArray<Arith>::run(Grid<Num>& out) {
  out = Grid<Num>(m_streamed.rows, m_stationary.cols);
  m_out = &out;
  const std::int64_t limit = (m_folds + 2) * (m_slots + 3 * m_r + m_c + 4);  // far beyond any schedule
  for (std::int64_t t = 0; m_completed_fold < m_folds - 1; ++t) {
    pe_require(t <= limit, "stationary array did not finish (controller deadlock)");
    control(t);
    step(t);
    m_recorder.end_cycle(t, Arith::bits(at(m_cur, 0, 0).psum.value), std::max(m_stream_fold, 0));
  }
  m_recorder.finish(m_last_mac_cycle + 1);
  return m_last_mac_cycle + 1;
}

template class StationaryArray<FloatArith>;
template class StationaryArray<IntArith>;

}  // namespace catsim
