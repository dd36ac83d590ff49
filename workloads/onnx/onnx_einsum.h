#pragma once
// A two-operand Einsum as the batched matmul it computes: letters in both operands and the output are the
// batch, letters in both operands only are contracted (K), letters of one operand and the output are that
// operand's free rows (M) or columns (N). Ellipses, repeated letters within an operand (diagonals) and
// letters summed out of one operand alone are not matmuls and are refused.

#include <string>

#include "workloads/onnx/onnx_values.h"

namespace catsim::onnx_import {

struct EinsumPlan {
  Shape out;
  std::int64_t batch = 1, m = 1, k = 1, n = 1;
};

// Throws ShapeError (workloads/onnx/onnx_shapes.h) for an equation it cannot lower or shapes that disagree.
EinsumPlan einsum_plan(const std::string& equation, const Shape& a, const Shape& b);

}  // namespace catsim::onnx_import
