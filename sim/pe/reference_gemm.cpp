#include "sim/pe/reference_gemm.h"

#include <algorithm>

#include "sim/pe/numeric.h"

namespace catsim {
namespace {

template <class Arith>
Matrix reference_typed(std::int64_t group, const Matrix& a, const Matrix& b) {
  using Num = typename Arith::Num;
  Matrix c(a.rows, b.cols);
  for (std::int64_t m = 0; m < a.rows; ++m)
    for (std::int64_t n = 0; n < b.cols; ++n) {
      Num out{};
      for (std::int64_t k0 = 0; k0 < a.cols; k0 += group) {
        Num partial{};
        for (std::int64_t k = k0; k < std::min(k0 + group, a.cols); ++k)
          partial = Arith::mac(partial, Arith::from_double(a(m, k)), Arith::from_double(b(k, n)));
        out = Arith::add(out, partial);
      }
      c(m, n) = Arith::to_double(out);
    }
  return c;
}

}  // namespace

Matrix quantized(const Matrix& m, Precision precision) {
  Matrix q = m;
  for (double& x : q.values) x = quantize(x, precision);
  return q;
}

Matrix reference_gemm(const PeArrayConfig& config, const Matrix& a, const Matrix& b, std::int64_t k_group) {
  const Matrix qa = quantized(a, config.precision), qb = quantized(b, config.precision);
  const std::int64_t group =
      k_group > 0 ? k_group
      : config.dataflow == Dataflow::os
          ? a.cols
          : std::int64_t{config.array.rows} * mac_rate_factors(config.macs_per_pe_per_cycle).pack;
  if (is_integer(config.precision)) return reference_typed<IntArith>(group, qa, qb);
  return reference_typed<FloatArith>(group, qa, qb);
}

}  // namespace catsim
