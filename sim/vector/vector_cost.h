#pragma once
// How a vector operation decomposes into passes over its elements (softmax: max, subtract, exp, sum,
// reciprocal, scale; LayerNorm: mean, centre, square, variance, rsqrt, normalize, affine) and what
// each pass costs on a vector unit of `lanes` lanes: ceil(elements / lanes) * op cycles + pipeline latency.

#include <cstdint>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "workloads/op_graph.h"

namespace catsim {

struct VectorPass {
  std::string op;              // one of kVectorOps
  std::uint64_t elements = 0;  // element operations in this pass
};

// Passes for `rows` rows of `cols` elements of a vector op of this kind.
std::vector<VectorPass> vector_passes(const Op& op, std::uint64_t rows, std::uint64_t cols);
std::uint64_t pass_cycles(const VectorSpec& v, const VectorPass& p);
// The pass's kind as an index for counts; throws std::logic_error for a name outside kVectorOps.
VectorOp kind_of(const VectorPass& p);
std::uint64_t vector_cycles(const VectorSpec& v, const std::vector<VectorPass>& passes);

}  // namespace catsim
