// The PE-level reference model against the closed form (cycles) and a same-order reference GEMM
// (values), on a randomized sweep and on small cases worked out by hand.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sim/pe/numeric.h"
#include "sim/pe/pe_model.h"
#include "sim/pe/reference_gemm.h"
#include "sim/pe/vcd_writer.h"
#include "sim/systolic/fold_timing.h"

namespace catsim {
namespace {

struct PeCase {
  PeArrayConfig config;
  GemmShape gemm;
};

std::string describe(const PeCase& c) {
  std::ostringstream s;
  s << name_of(c.config.dataflow) << ' ' << name_of(c.config.timing) << ' ' << name_of(c.config.precision)
    << " p=" << c.config.macs_per_pe_per_cycle << " array " << c.config.array.rows << 'x'
    << c.config.array.cols << " M=" << c.gemm.m << " N=" << c.gemm.n << " K=" << c.gemm.k;
  return s.str();
}

Matrix random_matrix(std::mt19937& rng, std::int64_t rows, std::int64_t cols, Precision p) {
  Matrix m(rows, cols);
  const int range = p == Precision::int4 ? 8 : 128;
  std::uniform_int_distribution<int> integer(-range, range - 1);
  std::uniform_real_distribution<double> real(-2.0, 2.0);
  for (double& x : m.values) x = is_integer(p) ? integer(rng) : real(rng);
  return m;
}

Matrix matrix(std::int64_t rows, std::int64_t cols, std::vector<double> values) {
  Matrix m(rows, cols);
  m.values = std::move(values);
  return m;
}

std::uint64_t closed_form(const PeCase& c) {
  return array_cycles(c.config.dataflow, c.config.timing, c.config.array, c.gemm,
                      c.config.macs_per_pe_per_cycle);
}

// Runs one case and checks cycles, values, MAC count and the utilization total.
void check_case(const PeCase& c, std::mt19937& rng) {
  SCOPED_TRACE(describe(c));
  const Matrix a = random_matrix(rng, c.gemm.m, c.gemm.k, c.config.precision);
  const Matrix b = random_matrix(rng, c.gemm.k, c.gemm.n, c.config.precision);
  const PeRunResult run = run_pe_gemm(c.config, a, b);
  EXPECT_EQ(run.cycles, closed_form(c));
  EXPECT_EQ(run.useful_macs, static_cast<std::uint64_t>(c.gemm.m * c.gemm.n * c.gemm.k));
  ASSERT_EQ(run.active_pes.size(), run.cycles);
  // Every mapped PE is busy for the whole stream of its fold: sum over cycles = Sr * Sc * T.
  const FoldPlan plan = plan_folds(c.config.dataflow, c.config.array, c.gemm, c.config.macs_per_pe_per_cycle);
  EXPECT_EQ(std::accumulate(run.active_pes.begin(), run.active_pes.end(), std::int64_t{0}),
            plan.spatial_rows * plan.spatial_cols * plan.stream);
  // Exact equality, floats included: the reference adds in the array's order (see reference_gemm.h).
  const Matrix expected = reference_gemm(c.config, a, b);
  ASSERT_EQ(run.c.rows, expected.rows);
  ASSERT_EQ(run.c.cols, expected.cols);
  const auto mismatch = std::mismatch(run.c.values.begin(), run.c.values.end(), expected.values.begin());
  EXPECT_TRUE(mismatch.first == run.c.values.end())
      << "first mismatch at flat index " << (mismatch.first - run.c.values.begin()) << ": " << *mismatch.first
      << " vs " << *mismatch.second;
}

// ---------------------------------------------------------------------------------------------------
// (a) Randomized property sweep.

constexpr std::int64_t kMaxDim = 300;
constexpr int kMaxSide = 64;
constexpr double kWorkBudget = 1.5e7;  // PE-steps per random case (cycles * R * C), keeps the sweep fast

// 1 and the maximum with 10% probability each, otherwise log-uniform (skewed small, still reaching max).
std::int64_t draw_dim(std::mt19937& rng, std::int64_t max) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double x = u(rng);
  if (x < 0.1) return 1;
  if (x < 0.2) return max;
  return std::clamp<std::int64_t>(std::llround(std::exp(u(rng) * std::log(static_cast<double>(max)))), 1,
                                  max);
}

// Array sides: uniform in 1..64, with 1 and 64 drawn an extra 10% of the time each.
int draw_side(std::mt19937& rng) {
  const double x = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  if (x < 0.1) return 1;
  if (x < 0.2) return kMaxSide;
  return std::uniform_int_distribution<int>(1, kMaxSide)(rng);
}

double draw_rate(std::mt19937& rng, Precision p) {
  std::vector<double> rates;
  switch (p) {
    case Precision::int4:
      rates = {4, 2, 1};
      break;
    case Precision::int8:
      rates = {2, 1, 0.5};
      break;
    case Precision::fp16:
    case Precision::bf16:
      rates = {2, 1, 0.5};
      break;
    case Precision::fp32:
      rates = {1, 0.5, 0.25};
      break;
  }
  return rates[std::uniform_int_distribution<std::size_t>(0, rates.size() - 1)(rng)];
}

double work(const PeCase& c) {
  const auto scalesim = array_cycles(c.config.dataflow, ArrayTiming::scalesim, c.config.array, c.gemm,
                                     c.config.macs_per_pe_per_cycle);
  return static_cast<double>(scalesim) * c.config.array.rows * c.config.array.cols;
}

PeCase draw_case(std::mt19937& rng, Dataflow dataflow, ArrayTiming timing) {
  PeCase c;
  c.config.dataflow = dataflow;
  c.config.timing = timing;
  c.config.array = {draw_side(rng), draw_side(rng)};
  c.config.precision = kAllPrecisions[std::uniform_int_distribution<int>(0, 4)(rng)];
  c.config.macs_per_pe_per_cycle = draw_rate(rng, c.config.precision);
  do c.gemm = {draw_dim(rng, kMaxDim), draw_dim(rng, kMaxDim), draw_dim(rng, kMaxDim)};
  while (work(c) > kWorkBudget);
  return c;
}

// Extremes every sweep covers on purpose (the random draws cover them only by chance under the budget).
std::vector<PeCase> extreme_cases(Dataflow d, ArrayTiming t) {
  auto make = [&](ArrayShape a, GemmShape g, Precision p, double rate) {
    return PeCase{PeArrayConfig{a, d, t, p, rate}, g};
  };
  return {
      make({64, 64}, {300, 300, 300}, Precision::int8, 1), make({1, 1}, {1, 1, 1}, Precision::fp32, 0.25),
      make({1, 64}, {300, 1, 300}, Precision::int4, 4),    make({64, 1}, {1, 300, 300}, Precision::bf16, 2),
      make({1, 1}, {7, 3, 300}, Precision::fp16, 1),       make({64, 64}, {1, 1, 1}, Precision::int8, 0.5),
  };
}

void pe_sweep(Dataflow d, ArrayTiming t, unsigned seed, int random_cases) {
  std::mt19937 rng(seed);
  for (const PeCase& c : extreme_cases(d, t)) check_case(c, rng);
  for (int i = 0; i < random_cases; ++i) check_case(draw_case(rng, d, t), rng);
}

// 6 sweeps x (6 extreme + 80 random) = 516 cases.
constexpr int kRandomCases = 80;
TEST(PeModelProperty, OsPipelined) {
  pe_sweep(Dataflow::os, ArrayTiming::pipelined, 101, kRandomCases);
}
TEST(PeModelProperty, OsScalesim) {
  pe_sweep(Dataflow::os, ArrayTiming::scalesim, 102, kRandomCases);
}
TEST(PeModelProperty, WsPipelined) {
  pe_sweep(Dataflow::ws, ArrayTiming::pipelined, 201, kRandomCases);
}
TEST(PeModelProperty, WsScalesim) {
  pe_sweep(Dataflow::ws, ArrayTiming::scalesim, 202, kRandomCases);
}
TEST(PeModelProperty, IsPipelined) {
  pe_sweep(Dataflow::is, ArrayTiming::pipelined, 301, kRandomCases);
}
TEST(PeModelProperty, IsScalesim) {
  pe_sweep(Dataflow::is, ArrayTiming::scalesim, 302, kRandomCases);
}

// ---------------------------------------------------------------------------------------------------
// (b) Small cases worked out by hand.

PeArrayConfig config(ArrayShape a, Dataflow d, ArrayTiming t, Precision p = Precision::int8,
                     double rate = 1) {
  return PeArrayConfig{a, d, t, p, rate};
}

// Plain double matmul: exact for small integers.
Matrix naive_product(const Matrix& a, const Matrix& b) {
  Matrix c(a.rows, b.cols);
  for (std::int64_t m = 0; m < a.rows; ++m)
    for (std::int64_t n = 0; n < b.cols; ++n)
      for (std::int64_t k = 0; k < a.cols; ++k) c(m, n) += a(m, k) * b(k, n);
  return c;
}

Matrix counting_matrix(std::int64_t rows, std::int64_t cols, int offset) {
  Matrix m(rows, cols);
  for (std::size_t i = 0; i < m.values.size(); ++i)
    m.values[i] = static_cast<double>((i * 7 + offset) % 11) - 5;
  return m;
}

TEST(PeModelHand, OneByOneArray) {
  const PeRunResult os = run_pe_gemm(config({1, 1}, Dataflow::os, ArrayTiming::pipelined), matrix(1, 1, {3}),
                                     matrix(1, 1, {-4}));
  EXPECT_EQ(os.c(0, 0), -12);
  EXPECT_EQ(os.cycles, 1u);  // 1 + 1 + 1 - 2
  EXPECT_EQ(os.active_pes, std::vector<int>{1});
  // WS 1x1, M=2, N=3, K=4: Sr=4 -> 4 row folds, Sc=3 -> 3 column folds, F=12, T=2.
  const Matrix a = counting_matrix(2, 4, 0), b = counting_matrix(4, 3, 3);
  const PeRunResult scalesim = run_pe_gemm(config({1, 1}, Dataflow::ws, ArrayTiming::scalesim), a, b);
  EXPECT_EQ(scalesim.cycles, 36u);  // 12 folds * (2*1 + 1 + 2 - 2)
  EXPECT_EQ(scalesim.c.values, naive_product(a, b).values);
  const PeRunResult pipelined = run_pe_gemm(config({1, 1}, Dataflow::ws, ArrayTiming::pipelined), a, b);
  EXPECT_EQ(pipelined.cycles, 25u);  // R + (F-1)*max(T,R) + (T+R+C-2) = 1 + 11*2 + 2
  EXPECT_EQ(pipelined.c.values, naive_product(a, b).values);
}

TEST(PeModelHand, OutputStationaryTwoByTwo) {
  const Matrix a = matrix(2, 3, {1, 2, 3, 4, 5, 6}), b = matrix(3, 2, {7, 8, 9, 10, 11, 12});
  const PeRunResult run = run_pe_gemm(config({2, 2}, Dataflow::os, ArrayTiming::scalesim), a, b);
  EXPECT_EQ(run.c.values, (std::vector<double>{58, 64, 139, 154}));
  EXPECT_EQ(run.cycles, 5u);  // R + C + K - 2 = 2 + 2 + 3 - 2
  // PE(i,j) works in cycles i+j .. i+j+2: 1, then 3, then all 4, then 3, then PE(1,1) alone.
  EXPECT_EQ(run.active_pes, (std::vector<int>{1, 3, 4, 3, 1}));
}

TEST(PeModelHand, WeightStationaryPartialFolds) {
  // 4x4 array, M=3, K=6, N=5: K folds into rows 0-3 and 4-5 (half empty), N into cols 0-3 and 4 (one used).
  const Matrix a = counting_matrix(3, 6, 1), b = counting_matrix(6, 5, 2);
  const PeRunResult scalesim = run_pe_gemm(config({4, 4}, Dataflow::ws, ArrayTiming::scalesim), a, b);
  EXPECT_EQ(scalesim.cycles, 52u);  // 2x2 folds * (2*4 + 4 + 3 - 2) = 4 * 13
  EXPECT_EQ(scalesim.c.values, naive_product(a, b).values);
  const PeRunResult pipelined = run_pe_gemm(config({4, 4}, Dataflow::ws, ArrayTiming::pipelined), a, b);
  EXPECT_EQ(pipelined.cycles, 25u);  // 4 + 3*max(3,4) + (3+4+4-2) = 4 + 12 + 9
  EXPECT_EQ(pipelined.c.values, naive_product(a, b).values);
  EXPECT_EQ(pipelined.useful_macs, 90u);  // 3 * 5 * 6
}

TEST(PeModelHand, PipelinedShortStreamWaitsForTheShadowLoad) {
  // WS on 4 rows x 1 column, M=3 (T=3 < R=4), K=4, N=2: two column folds.
  // Fold 0 loads in cycles 0-3 and streams from 4; fold 1's load starts at 4 and ends at 7, so fold 1
  // streams from 8 = 4 + max(T, R), not 7. PE row r works cycles S+r .. S+r+2.
  const Matrix a = counting_matrix(3, 4, 0), b = counting_matrix(4, 2, 5);
  const PeRunResult run = run_pe_gemm(config({4, 1}, Dataflow::ws, ArrayTiming::pipelined), a, b);
  EXPECT_EQ(run.cycles, 14u);  // 4 + 1*4 + (3+4+1-2)
  EXPECT_EQ(run.active_pes, (std::vector<int>{0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3, 3, 2, 1}));
  EXPECT_EQ(run.c.values, naive_product(a, b).values);
  // scalesim: fold 1 loads after fold 0 leaves PE(3,0) (cycle 9): 2 * (2*4 + 1 + 3 - 2) = 20
  EXPECT_EQ(run_pe_gemm(config({4, 1}, Dataflow::ws, ArrayTiming::scalesim), a, b).cycles, 20u);
}

TEST(PeModelHand, PipelinedPeriodIsRWhenTheStreamIsShort) {
  // WS 4x4, M=3 (T=3), K=4, N=4F: each extra fold adds max(T,R) = 4 cycles.
  const std::uint64_t ws_expected[] = {13, 17, 21};  // 4 + (F-1)*4 + (3+4+4-2)
  for (int f = 1; f <= 3; ++f) {
    const Matrix a = counting_matrix(3, 4, f), b = counting_matrix(4, 4 * f, 2);
    EXPECT_EQ(run_pe_gemm(config({4, 4}, Dataflow::ws, ArrayTiming::pipelined), a, b).cycles,
              ws_expected[f - 1]);
  }
  // OS 4x4, K=2 (T=2), M=4, N=4F: fold 1 follows after T=2 (shadows empty), later folds after R=4.
  const std::uint64_t os_expected[] = {8, 10, 14, 18};  // T+R+C-2 = 8, then + 2, + 4, + 4
  for (int f = 1; f <= 4; ++f) {
    const Matrix a = counting_matrix(4, 2, f), b = counting_matrix(2, 4 * f, 3);
    const PeRunResult run = run_pe_gemm(config({4, 4}, Dataflow::os, ArrayTiming::pipelined), a, b);
    EXPECT_EQ(run.cycles, os_expected[f - 1]) << f << " folds";
    EXPECT_EQ(run.c.values, naive_product(a, b).values);
  }
}

TEST(PeModelHand, PackingAndStretching) {
  // int4 at 2 MACs/PE/cycle, OS 2x2, K=3: T = ceil(3/2) = 2; 2 + 2 + 2 - 2 = 4 cycles.
  const Matrix a = matrix(2, 3, {1, -2, 3, 4, 5, -6}), b = matrix(3, 2, {7, -8, 1, 2, -3, 4});
  const PeRunResult packed =
      run_pe_gemm(config({2, 2}, Dataflow::os, ArrayTiming::pipelined, Precision::int4, 2), a, b);
  EXPECT_EQ(packed.cycles, 4u);
  EXPECT_EQ(packed.c.values,
            naive_product(quantized(a, Precision::int4), quantized(b, Precision::int4)).values);
  // fp32 at 1/4 MAC per PE per cycle, OS 1x1, K=2: T = 4*2 = 8; 8 + 1 + 1 - 2 = 8 cycles, all busy.
  const PeRunResult slow =
      run_pe_gemm(config({1, 1}, Dataflow::os, ArrayTiming::pipelined, Precision::fp32, 0.25),
                  matrix(1, 2, {1.5, 2}), matrix(2, 1, {2, -0.25}));
  EXPECT_EQ(slow.cycles, 8u);
  EXPECT_EQ(slow.active_pes, std::vector<int>(8, 1));
  EXPECT_EQ(slow.c(0, 0), 2.5);  // 1.5*2 + 2*(-0.25)
}

TEST(PeModelHand, ComputesInThePrecision) {
  // fp16 stores 1/3 as 0.333251953125 (RNE of 11 significant bits); times 3 is exact in fp32.
  const PeRunResult fp16 = run_pe_gemm(config({1, 1}, Dataflow::os, ArrayTiming::pipelined, Precision::fp16),
                                       matrix(1, 1, {1.0 / 3}), matrix(1, 1, {3}));
  EXPECT_EQ(fp16.c(0, 0), 0.999755859375);
  // bf16 stores 1/3 as 0.333984375 (8 significant bits, rounded up).
  const PeRunResult bf16 = run_pe_gemm(config({1, 1}, Dataflow::ws, ArrayTiming::pipelined, Precision::bf16),
                                       matrix(1, 1, {1.0 / 3}), matrix(1, 1, {3}));
  EXPECT_EQ(bf16.c(0, 0), 1.001953125);
  // int8 saturates on entry (200 -> 127) and accumulates in int32: 300 * 127 * -128 = -4876800.
  Matrix a(1, 300), b(300, 1);
  std::fill(a.values.begin(), a.values.end(), 200.0);
  std::fill(b.values.begin(), b.values.end(), -128.0);
  const PeRunResult int8 = run_pe_gemm(config({2, 2}, Dataflow::is, ArrayTiming::pipelined), a, b);
  EXPECT_EQ(int8.c(0, 0), -4876800);
}

TEST(PeModelHand, RejectsBadInputs) {
  const PeArrayConfig cfg = config({2, 2}, Dataflow::os, ArrayTiming::pipelined);
  EXPECT_THROW(run_pe_gemm(cfg, Matrix(2, 3), Matrix(2, 3)), std::invalid_argument);
  EXPECT_THROW(run_pe_gemm(config({2, 2}, Dataflow::os, ArrayTiming::pipelined, Precision::int4, 16),
                           Matrix(2, 3), Matrix(3, 2)),
               std::invalid_argument);  // packing 16 > kMaxPack
  EXPECT_THROW(run_pe_gemm(config({2, 2}, Dataflow::os, ArrayTiming::pipelined, Precision::int8, 0.3),
                           Matrix(2, 3), Matrix(3, 2)),
               std::invalid_argument);
}

TEST(Numeric, Fp16RoundsToNearestEven) {
  EXPECT_EQ(round_to_fp16(1.0 / 3), 0.333251953125);
  EXPECT_EQ(round_to_fp16(0.1), 0.0999755859375);
  EXPECT_EQ(round_to_fp16(1 + std::ldexp(1, -11)), 1.0);                        // tie -> even (1.0)
  EXPECT_EQ(round_to_fp16(1 + 3 * std::ldexp(1, -11)), 1 + std::ldexp(1, -9));  // tie -> even (up)
  EXPECT_EQ(round_to_fp16(65504), 65504);                                       // largest half
  EXPECT_EQ(round_to_fp16(65519.99), 65504);
  EXPECT_TRUE(std::isinf(round_to_fp16(65520)));  // tie rounds to 2^16
  EXPECT_EQ(round_to_fp16(-70000), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(round_to_fp16(std::ldexp(1, -14)), std::ldexp(1, -14));  // smallest normal
  EXPECT_EQ(round_to_fp16(std::ldexp(1, -24)), std::ldexp(1, -24));  // smallest subnormal
  EXPECT_EQ(round_to_fp16(std::ldexp(1, -25)), 0.0);                 // tie -> even (0)
  EXPECT_EQ(round_to_fp16(3 * std::ldexp(1, -26)), std::ldexp(1, -24));
}

TEST(Numeric, Bf16RoundsTheTop16BitsOfFloat) {
  EXPECT_EQ(round_to_bf16(1.0 / 3), 0.333984375);
  EXPECT_EQ(round_to_bf16(1 + std::ldexp(1, -8)), 1.0);                        // tie -> even
  EXPECT_EQ(round_to_bf16(1 + 3 * std::ldexp(1, -8)), 1 + std::ldexp(1, -6));  // tie -> even (up)
  EXPECT_EQ(round_to_bf16(-2.0), -2.0);
}

TEST(Numeric, IntegersRoundHalfEvenAndSaturate) {
  EXPECT_EQ(quantize(2.5, Precision::int8), 2);
  EXPECT_EQ(quantize(3.5, Precision::int8), 4);
  EXPECT_EQ(quantize(-2.5, Precision::int8), -2);
  EXPECT_EQ(quantize(127.6, Precision::int8), 127);
  EXPECT_EQ(quantize(-200, Precision::int8), -128);
  EXPECT_EQ(quantize(9, Precision::int4), 7);
  EXPECT_EQ(quantize(-9, Precision::int4), -8);
  EXPECT_EQ(quantize(0.1, Precision::fp32), static_cast<double>(0.1f));
}

// ---------------------------------------------------------------------------------------------------
// (c) VCD output.

TEST(PeModelVcd, WritesAParsableDump) {
  std::ostringstream out;
  VcdWriter vcd(out);
  const Matrix a = counting_matrix(3, 5, 0), b = counting_matrix(5, 4, 1);
  const PeRunResult run = run_pe_gemm(config({2, 2}, Dataflow::os, ArrayTiming::pipelined), a, b, {&vcd, {}});
  std::istringstream in(out.str());
  std::string line;
  std::vector<std::string> ids;
  std::vector<long long> times;
  bool timescale = false, enddefinitions = false;
  while (std::getline(in, line)) {
    if (line == "$timescale 1ns $end") timescale = true;
    if (line == "$enddefinitions $end") enddefinitions = true;
    if (line.rfind("$var wire ", 0) == 0) {
      std::istringstream var(line.substr(10));
      int width = 0;
      std::string id;
      var >> width >> id;
      ids.push_back(id);
    }
    if (!line.empty() && line[0] == '#') times.push_back(std::stoll(line.substr(1)));
    if (enddefinitions && !line.empty() && (line[0] == '0' || line[0] == '1' || line[0] == 'b')) {
      const std::string id = line[0] == 'b' ? line.substr(line.find(' ') + 1) : line.substr(1);
      EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << "undeclared id in: " << line;
    }
  }
  EXPECT_TRUE(timescale);
  EXPECT_TRUE(enddefinitions);
  EXPECT_EQ(ids.size(), 4u + 3u);  // 2x2 per-PE active bits, active_pes, pe_0_0_acc, fold
  ASSERT_GE(times.size(), 2u);
  EXPECT_EQ(times.front(), 0);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  EXPECT_EQ(std::adjacent_find(times.begin(), times.end()), times.end());  // strictly increasing
  EXPECT_GE(times.back(), static_cast<long long>(run.cycles));
  EXPECT_NE(out.str().find("pe_0_0_active"), std::string::npos);
}

TEST(PeModelVcd, LargeArraysDumpOnlyTheSummary) {
  std::ostringstream out;
  VcdWriter vcd(out);
  run_pe_gemm(config({17, 2}, Dataflow::ws, ArrayTiming::scalesim), Matrix(2, 3), Matrix(3, 2), {&vcd, {}});
  EXPECT_EQ(out.str().find("pe_0_0_active"), std::string::npos);
  EXPECT_NE(out.str().find("active_pes"), std::string::npos);
}

TEST(VcdWriter, RejectsMisuse) {
  std::ostringstream out;
  VcdWriter vcd(out);
  const int wire = vcd.add_wire("x", 8);
  vcd.sample(5, wire, 3);
  EXPECT_THROW(vcd.sample(4, wire, 1), std::logic_error);  // time went back
  EXPECT_THROW(vcd.add_wire("late", 1), std::logic_error);
  vcd.sample(6, wire, 3);  // unchanged: no new timestamp
  vcd.finish(9);
  EXPECT_EQ(out.str().find("#6"), std::string::npos);
  EXPECT_NE(out.str().find("#5\nb11 !"), std::string::npos);
  EXPECT_NE(out.str().find("#9"), std::string::npos);
}

}  // namespace
}  // namespace catsim
