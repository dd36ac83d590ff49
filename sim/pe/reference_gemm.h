#pragma once
// The GEMM the PE array must reproduce bit for bit: same quantization, same MAC arithmetic and the
// same summation order, written as plain loops so a reader can check it against the array by eye.

#include "sim/pe/matrix.h"
#include "sim/pe/pe_model.h"

namespace catsim {

// Summation order (float formats round after every add, so order is part of the result):
//   OS: one accumulator per output sums k = 0, 1, ..., K-1 from zero.
//   WS/IS: a fold covers G = R * pack consecutive k; its partial sum runs down a column from zero over
//   k in order; the output buffer, starting from zero, adds the folds' partial sums in k order.
// Packing and stretching do not change the order (a packed PE adds its p products one after another).
// `k_group` > 0 overrides how K is grouped into partial sums (OS folds placed once per K chunk add their
// chunks' sums in order).
Matrix reference_gemm(const PeArrayConfig& config, const Matrix& a, const Matrix& b, std::int64_t k_group = 0);

// A or B as the array stores it: every element rounded to the precision (see numeric.h).
Matrix quantized(const Matrix& m, Precision precision);

}  // namespace catsim
