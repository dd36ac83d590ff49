#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/pe/matrix.h"
#include "sim/pe/pe_registers.h"
#include "sim/pe/run_recorder.h"

namespace catsim {

// Weight- or input-stationary PE array stepped cycle by cycle: each PE holds one stationary operand
// (p of them when packing), streamed operands flow right, partial sums flow down and leave at the bottom.
//
// Stationary operands shift down each column into shadow registers (the bottom row's value first, so
// a column's R values land together, R cycles after the column's skewed start), and a fold's first
// streamed element swaps shadow into active in each PE. Pipelined timing loads fold i+1 from the cycle
// fold i starts streaming; scalesim timing loads after fold i left PE(R-1, C-1). Every PE checks that
// it never overwrites unused shadow weights and never streams against the wrong fold's weights.
template <class Arith>
class StationaryArray {
 public:
  using Num = typename Arith::Num;

  // stationary is Kd x Sc (rows k*p .. k*p+p-1 live in PE row k), streamed is T x Kd (row t is element t).
  StationaryArray(const EngineSetup& setup, const Grid<Num>& stationary, const Grid<Num>& streamed,
                  RunRecorder& recorder);

  // Runs the folds in the setup's order (default: row folds outer), adds each fold's sums into the T x Sc output
  // buffer and returns the cycle count: up to the last MAC of the last fold in PE(R-1, C-1).
  std::int64_t run(Grid<Num>& out);

 private:
  struct LoadToken {
    bool valid = false;
    int fold = 0;
    int dest_row = 0;  // PE row the value travels to
  };
  struct LoadReg {
    LoadToken tag;
    std::array<Num, kMaxPack> w{};
  };
  struct Weights {
    int fold = -1;  // -1 when empty
    std::array<Num, kMaxPack> w{};
  };
  struct Psum {
    bool valid = false;
    int fold = -1;
    std::int64_t elem = 0;
    Num value{};
  };
  struct Pe {
    Operand<Num> h;  // streamed operand moving right
    LoadReg ld;      // stationary operand in transit down
    Psum psum;       // partial sum moving down
    Weights active, shadow;
  };

  Pe& at(std::vector<Pe>& s, int i, int j) { return s[static_cast<std::size_t>(i * m_c + j)]; }
  const Pe& at(const std::vector<Pe>& s, int i, int j) const {
    return s[static_cast<std::size_t>(i * m_c + j)];
  }

  void control(std::int64_t t);
  void start_stream(std::int64_t t);
  void start_load(std::int64_t t);
  void emit(std::int64_t t);
  void fill_ports(std::int64_t t);
  void step(std::int64_t t);
  void step_pe(std::int64_t t, int i, int j);
  void compute(std::int64_t t, int i, int j, const Operand<Num>& h, Pe& next);
  void deliver(const Psum& psum, int j);

  EngineSetup m_setup;
  const Grid<Num>& m_stationary;
  const Grid<Num>& m_streamed;
  RunRecorder& m_recorder;
  int m_r, m_c;
  std::int64_t m_slots;  // T after stretching
  std::vector<FoldRef> m_order;  // sequence position -> fold
  int m_folds;

  std::vector<Pe> m_cur, m_next;
  SkewLine<StreamToken> m_stream_skew;  // row i sees the stream token i cycles late
  SkewLine<LoadToken> m_load_skew;      // column j sees the load token j cycles late
  std::vector<Operand<Num>> m_port_h;
  std::vector<LoadReg> m_port_ld;

  int m_next_stream = 0, m_stream_fold = -1;
  std::int64_t m_stream_start = 0, m_stream_len = 0;
  int m_next_load = 0, m_load_fold = -1;
  std::int64_t m_load_start = 0, m_load_len = 0;
  int m_completed_fold = -1;  // last fold whose final MAC PE(R-1, C-1) has done
  std::int64_t m_last_mac_cycle = -1;
  Grid<Num>* m_out = nullptr;
};

}  // namespace catsim
