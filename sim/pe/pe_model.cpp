#include "sim/pe/pe_model.h"

#include <climits>
#include <stdexcept>
#include <string>

#include "sim/pe/numeric.h"
#include "sim/pe/os_array.h"
#include "sim/pe/reference_gemm.h"
#include "sim/pe/run_recorder.h"
#include "sim/pe/stationary_array.h"

namespace catsim {
namespace {

void check_inputs(const PeArrayConfig& config, const Matrix& a, const Matrix& b, const MacRate& rate) {
  if (a.cols != b.rows)
    throw std::invalid_argument("PE model: A is " + std::to_string(a.rows) + "x" + std::to_string(a.cols) +
                                " but B is " + std::to_string(b.rows) + "x" + std::to_string(b.cols));
  if (rate.pack > kMaxPack)
    throw std::invalid_argument("PE model: at most " + std::to_string(kMaxPack) + " MACs per PE per cycle");
  const FoldPlan plan = plan_folds(config.dataflow, config.array, GemmShape{a.rows, b.cols, a.cols},
                                   config.macs_per_pe_per_cycle);
  if (plan.folds >= INT_MAX / 2) throw std::invalid_argument("PE model: too many folds for a detailed run");
}

template <class Arith>
Grid<typename Arith::Num> to_grid(const Matrix& m, bool transpose) {
  Grid<typename Arith::Num> g(transpose ? m.cols : m.rows, transpose ? m.rows : m.cols);
  for (std::int64_t r = 0; r < m.rows; ++r)
    for (std::int64_t c = 0; c < m.cols; ++c) {
      const auto x = Arith::from_double(m(r, c));
      (transpose ? g(c, r) : g(r, c)) = x;
    }
  return g;
}

template <class Num, class Arith>
Matrix to_matrix(const Grid<Num>& g, bool transpose) {
  Matrix m(transpose ? g.cols : g.rows, transpose ? g.rows : g.cols);
  for (std::int64_t r = 0; r < g.rows; ++r)
    for (std::int64_t c = 0; c < g.cols; ++c) {
      const double x = Arith::to_double(g(r, c));
      (transpose ? m(c, r) : m(r, c)) = x;
    }
  return m;
}

// OS: A rows enter the left edge, B columns the top. WS: B stays, A streams, out = C.
// IS: A^T stays (PE (k, m) holds A[m][k]), B^T streams, out = C^T.
template <class Arith>
std::uint64_t run_typed(const PeArrayConfig& config, const EngineSetup& setup, const Matrix& a,
                        const Matrix& b, RunRecorder& recorder, Matrix& c) {
  using Num = typename Arith::Num;
  Grid<Num> out;
  std::int64_t cycles = 0;
  if (config.dataflow == Dataflow::os) {
    const Grid<Num> ga = to_grid<Arith>(a, false), gb = to_grid<Arith>(b, false);
    cycles = OsArray<Arith>(setup, ga, gb, recorder).run(out);
  } else {
    const bool is = config.dataflow == Dataflow::is;
    const Grid<Num> stationary = is ? to_grid<Arith>(a, true) : to_grid<Arith>(b, false);
    const Grid<Num> streamed = is ? to_grid<Arith>(b, true) : to_grid<Arith>(a, false);
    cycles = StationaryArray<Arith>(setup, stationary, streamed, recorder).run(out);
  }
  c = to_matrix<Num, Arith>(out, config.dataflow == Dataflow::is);
  return static_cast<std::uint64_t>(cycles);
}

}  // namespace

PeRunResult run_pe_gemm(const PeArrayConfig& config, const Matrix& a, const Matrix& b,
                        const PeRunOptions& options) {
  const MacRate rate = mac_rate_factors(config.macs_per_pe_per_cycle);
  check_inputs(config, a, b, rate);
  const EngineSetup setup{config.array, config.timing, rate, options.order};
  const Matrix qa = quantized(a, config.precision), qb = quantized(b, config.precision);
  RunRecorder recorder(config.array, options.vcd);
  PeRunResult result;
  result.cycles = is_integer(config.precision)
                      ? run_typed<IntArith>(config, setup, qa, qb, recorder, result.c)
                      : run_typed<FloatArith>(config, setup, qa, qb, recorder, result.c);
  result.active_pes = std::move(recorder.active_per_cycle());
  result.fold_starts = std::move(recorder.fold_starts());
  result.useful_macs = recorder.useful_macs();
  return result;
}

}  // namespace catsim
