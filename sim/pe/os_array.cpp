#include "sim/pe/os_array.h"

#include <algorithm>

#include "sim/pe/numeric.h"

namespace catsim {

template <class Arith>
OsArray<Arith>::OsArray(const EngineSetup& setup, const Grid<Num>& rows_op, const Grid<Num>& cols_op,
                        RunRecorder& recorder)
    : m_setup(setup),
      m_rows_op(rows_op),
      m_cols_op(cols_op),
      m_recorder(recorder),
      m_r(setup.array.rows),
      m_c(setup.array.cols),
      m_elems((rows_op.cols + setup.rate.pack - 1) / setup.rate.pack),
      m_slots(m_elems * setup.rate.stretch),
      m_skew(std::max(m_r, m_c)) {
  m_order = fold_sequence(setup.order, (rows_op.rows + m_r - 1) / m_r, (cols_op.cols + m_c - 1) / m_c);
  m_folds = static_cast<int>(m_order.size());
  for (FoldRef& f : m_order)
    if (f.elem_hi < 0) f.elem_lo = 0, f.elem_hi = m_elems;
  for (State* s : {&m_cur, &m_next}) {
    s->pe.assign(static_cast<std::size_t>(m_r * m_c), Pe{});
    s->col.assign(static_cast<std::size_t>(m_c), Column{});
  }
  m_port_h.resize(static_cast<std::size_t>(m_r));
  m_port_v.resize(static_cast<std::size_t>(m_c));
  m_bottom_swap.assign(static_cast<std::size_t>(m_c), -1);
}

// (1) Controller: start the next fold (or the final flush wave) when the row ports are free and the
// shadow register of PE(0,0) can take a swap; scalesim timing also waits for the previous fold to
// leave PE(R-1, C-1). Then emit this cycle's token into the skew line.
template <class Arith>
void OsArray<Arith>::control(std::int64_t t) {
  if (m_next_fold <= m_folds && t >= m_stream_start + m_stream_len && ready_to_start()) {
    m_stream_fold = m_next_fold++;
    m_stream_start = t;
    m_stream_len = m_stream_fold < m_folds ? slots_of(m_stream_fold) : 1;
    if (m_stream_fold < m_folds) m_recorder.fold_started(t);
  }
  StreamToken token;
  if (m_stream_fold >= 0 && t < m_stream_start + m_stream_len) {
    const std::int64_t u = t - m_stream_start;
    const std::int64_t lo = m_stream_fold < m_folds ? m_order[static_cast<std::size_t>(m_stream_fold)].elem_lo : 0;
    token = {true, m_stream_fold < m_folds, m_stream_fold, lo + u / m_setup.rate.stretch, u % m_setup.rate.stretch,
             u == 0};
  }
  m_skew.push(t, token);
}

template <class Arith>
bool OsArray<Arith>::ready_to_start() const {
  if (m_setup.timing == ArrayTiming::scalesim && m_completed_fold < m_next_fold - 1) return false;
  const Shadow& origin = at(m_cur, 0, 0).out;
  return !origin.full || sending(origin, m_cur.col[0]);
}

// (2) Edge ports: row i and column j see the token emitted i (resp. j) cycles ago, with its operands.
template <class Arith>
void OsArray<Arith>::fill_ports(std::int64_t t) {
  const std::int64_t pack = m_setup.rate.pack;
  for (int i = 0; i < m_r; ++i) {
    Operand<Num>& op = m_port_h[static_cast<std::size_t>(i)];
    op = Operand<Num>{m_skew.at(t, i), {}};
    if (!op.tag.data) continue;
    const std::int64_t row = m_order[static_cast<std::size_t>(op.tag.fold)].row_fold * m_r + i;
    for (int q = 0; q < pack; ++q) op.v[q] = m_rows_op.padded(row, op.tag.elem * pack + q);
  }
  for (int j = 0; j < m_c; ++j) {
    Operand<Num>& op = m_port_v[static_cast<std::size_t>(j)];
    op = Operand<Num>{m_skew.at(t, j), {}};
    if (!op.tag.data) continue;
    const std::int64_t col = m_order[static_cast<std::size_t>(op.tag.fold)].col_fold * m_c + j;
    for (int q = 0; q < pack; ++q) op.v[q] = m_cols_op.padded(op.tag.elem * pack + q, col);
  }
}

// (3) Every PE reads the old state and writes the new one; then the registers swap.
template <class Arith>
void OsArray<Arith>::step(std::int64_t t) {
  fill_ports(t);
  for (int i = 0; i < m_r; ++i)
    for (int j = 0; j < m_c; ++j) step_pe(t, i, j);
  update_columns();
  std::swap(m_cur, m_next);
}

template <class Arith>
void OsArray<Arith>::step_pe(std::int64_t t, int i, int j) {
  const Pe& cur = at(m_cur, i, j);
  Pe& next = at(m_next, i, j);
  const Operand<Num>& h = j == 0 ? m_port_h[static_cast<std::size_t>(i)] : at(m_cur, i, j - 1).h;
  const Operand<Num>& v = i == 0 ? m_port_v[static_cast<std::size_t>(j)] : at(m_cur, i - 1, j).v;
  next.h = h;
  next.v = v;
  next.acc = cur.acc;
  next.acc_fold = cur.acc_fold;
  Shadow swapped;
  if (h.tag.valid) {
    pe_require(
        v.tag.valid && v.tag.fold == h.tag.fold && v.tag.elem == h.tag.elem && v.tag.slot == h.tag.slot,
        "OS operands out of step");
    if (h.tag.first()) {
      if (cur.acc_fold >= 0) swapped = Shadow{true, cur.acc_fold, i, cur.acc};
      next.acc = Num{};
      next.acc_fold = h.tag.data ? h.tag.fold : -1;
    }
    if (h.tag.data) compute(t, i, j, h, v, next);
  } else {
    pe_require(!v.tag.valid, "OS operands out of step");
  }
  next.out = next_shadow(i, j, swapped);
  if (i == m_r - 1 && swapped.full) m_bottom_swap[static_cast<std::size_t>(j)] = swapped.fold;
}

template <class Arith>
void OsArray<Arith>::compute(std::int64_t t, int i, int j, const Operand<Num>& h, const Operand<Num>& v,
                             Pe& next) {
  const StreamToken& tag = h.tag;
  const std::int64_t pack = m_setup.rate.pack;
  const bool complete = tag.slot == m_setup.rate.stretch - 1;
  const FoldRef& f = m_order[static_cast<std::size_t>(tag.fold)];
  const std::int64_t row = f.row_fold * m_r + i, col = f.col_fold * m_c + j;
  if (row < m_rows_op.rows && col < m_cols_op.cols)
    m_recorder.mark_active(i, j, complete ? std::min(pack, m_rows_op.cols - tag.elem * pack) : 0);
  if (!complete) return;
  for (int q = 0; q < pack; ++q) next.acc = Arith::mac(next.acc, h.v[q], v.v[q]);
  if (i == m_r - 1 && j == m_c - 1 && tag.elem == m_order[static_cast<std::size_t>(tag.fold)].elem_hi - 1) {
    m_completed_fold = tag.fold;
    m_last_mac_cycle = t;
  }
}

// The shadow chain of column j: drains down while the column's shift enable is on, takes swaps.
template <class Arith>
typename OsArray<Arith>::Shadow OsArray<Arith>::next_shadow(int i, int j, const Shadow& swapped) {
  const Column& col = m_cur.col[static_cast<std::size_t>(j)];
  const Shadow& own = at(m_cur, i, j).out;
  Shadow next = sending(own, col) ? Shadow{} : own;
  if (i > 0 && sending(at(m_cur, i - 1, j).out, col)) {
    pe_require(!next.full, "OS shadow chain collision");
    next = at(m_cur, i - 1, j).out;
  }
  if (swapped.full) {
    pe_require(!next.full, "OS swap into an occupied shadow register");
    next = swapped;
  }
  if (i == m_r - 1 && sending(own, col)) deliver(own, j);
  return next;
}

// A column's shift enable lasts R cycles from the cycle after its bottom PE swapped.
template <class Arith>
void OsArray<Arith>::update_columns() {
  for (int j = 0; j < m_c; ++j) {
    Column col = m_cur.col[static_cast<std::size_t>(j)];
    col.drain_left = std::max(0, col.drain_left - 1);
    int& swapped = m_bottom_swap[static_cast<std::size_t>(j)];
    if (swapped >= 0) {
      pe_require(col.drain_left == 0, "OS drain of the previous fold still running");
      col = Column{m_r, swapped};
      swapped = -1;
    }
    m_next.col[static_cast<std::size_t>(j)] = col;
  }
}

template <class Arith>
void OsArray<Arith>::deliver(const Shadow& s, int j) {
  const FoldRef& f = m_order[static_cast<std::size_t>(s.fold)];
  const std::int64_t row = f.row_fold * m_r + s.src_row, col = f.col_fold * m_c + j;
  if (row < m_out->rows && col < m_out->cols) (*m_out)(row, col) = Arith::add((*m_out)(row, col), s.value);
  ++m_delivered;
}

template <class Arith>
std::int64_t OsArray<Arith>::run(Grid<Num>& out) {
  out = Grid<Num>(m_rows_op.rows, m_cols_op.cols);
  m_out = &out;
  const std::int64_t outputs = std::int64_t{m_folds} * m_r * m_c;
  const std::int64_t limit = (m_folds + 2) * (m_slots + 2 * m_r + m_c + 4);  // far beyond any schedule
  for (std::int64_t t = 0; m_delivered < outputs; ++t) {
    pe_require(t <= limit, "OS array did not finish (controller deadlock)");
    control(t);
    step(t);
    m_recorder.end_cycle(t, Arith::bits(at(m_cur, 0, 0).acc), std::clamp(m_stream_fold, 0, m_folds - 1));
  }
  m_recorder.finish(m_last_mac_cycle + 1);
  return m_last_mac_cycle + 1;
}

template class OsArray<FloatArith>;
template class OsArray<IntArith>;

}  // namespace catsim
