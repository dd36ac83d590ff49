#pragma once

#include <cstdint>
#include <vector>

#include "sim/pe/matrix.h"
#include "sim/pe/pe_registers.h"
#include "sim/pe/run_recorder.h"

namespace catsim {

// Output-stationary PE array stepped cycle by cycle: row operands flow right, column operands flow
// down, each PE accumulates one output; a shadow register per PE drains the outputs under the next fold.
//
// Fold i+1's first element swaps each PE's finished sum into its shadow register. When the bottom PE
// of a column has swapped, the column shifts its shadows down and out for R cycles (a column-wide shift
// enable that moves only the draining fold's values). A swap into a still-occupied shadow is a hazard:
// the controller starts a fold only when PE(0,0)'s shadow is free, and every PE checks it.
template <class Arith>
class OsArray {
 public:
  using Num = typename Arith::Num;

  // rows_op is Sr x K (operand row i enters PE row i), cols_op is K x Sc (column j enters PE column j).
  OsArray(const EngineSetup& setup, const Grid<Num>& rows_op, const Grid<Num>& cols_op,
          RunRecorder& recorder);

  // Runs the folds in the setup's order (default: row folds outer), writes the Sr x Sc outputs and returns the
  // cycle count: up to the last MAC of the last fold in PE(R-1, C-1), drain excluded.
  std::int64_t run(Grid<Num>& out);

 private:
  struct Shadow {
    bool full = false;
    int fold = -1;
    int src_row = 0;  // PE row the value was computed in, to address the output buffer
    Num value{};
  };
  struct Pe {
    Operand<Num> h, v;  // operands moving right and down
    Num acc{};
    int acc_fold = -1;  // fold the accumulator belongs to, -1 when empty
    Shadow out;
  };
  struct Column {
    int drain_left = 0;  // cycles of shift enable left for this column
    int drain_fold = -1;
  };
  struct State {
    std::vector<Pe> pe;
    std::vector<Column> col;
  };

  Pe& at(State& s, int i, int j) { return s.pe[static_cast<std::size_t>(i * m_c + j)]; }
  const Pe& at(const State& s, int i, int j) const { return s.pe[static_cast<std::size_t>(i * m_c + j)]; }
  static bool sending(const Shadow& s, const Column& col) {
    return col.drain_left > 0 && s.full && s.fold == col.drain_fold;
  }

  std::int64_t slots_of(int fold) const {
    const FoldRef& f = m_order[static_cast<std::size_t>(fold)];
    return (f.elem_hi - f.elem_lo) * m_setup.rate.stretch;
  }
  void control(std::int64_t t);
  bool ready_to_start() const;
  void fill_ports(std::int64_t t);
  void step(std::int64_t t);
  void step_pe(std::int64_t t, int i, int j);
  void compute(std::int64_t t, int i, int j, const Operand<Num>& h, const Operand<Num>& v, Pe& next);
  Shadow next_shadow(int i, int j, const Shadow& swapped);
  void update_columns();
  void deliver(const Shadow& s, int j);

  EngineSetup m_setup;
  const Grid<Num>& m_rows_op;
  const Grid<Num>& m_cols_op;
  RunRecorder& m_recorder;
  int m_r, m_c;
  std::int64_t m_elems;  // T before stretching
  std::int64_t m_slots;  // T after stretching
  std::vector<FoldRef> m_order;  // sequence position -> fold, with its stream range resolved
  int m_folds;

  State m_cur, m_next;
  SkewLine<StreamToken> m_skew;
  std::vector<Operand<Num>> m_port_h, m_port_v;  // this cycle's left-edge and top-edge inputs
  std::vector<int> m_bottom_swap;                // fold swapped by PE(R-1, j) this cycle, or -1

  int m_next_fold = 0;  // m_folds is the flush wave that swaps out the last fold
  int m_stream_fold = -1;
  std::int64_t m_stream_start = 0, m_stream_len = 0;
  int m_completed_fold = -1;  // last fold whose final MAC PE(R-1, C-1) has done
  std::int64_t m_last_mac_cycle = -1;
  std::int64_t m_delivered = 0;
  Grid<Num>* m_out = nullptr;
};

}  // namespace catsim
