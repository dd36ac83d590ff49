#include "sim/vector/vector_cost.h"

#include <optional>
#include <stdexcept>

namespace catsim {
namespace {

// The passes of an element-wise function over e elements.
std::vector<VectorPass> activation_passes(Activation a, std::uint64_t e) {
  switch (a) {
    case Activation::gelu:
    case Activation::gelu_tanh: return {{"gelu", e}};
    case Activation::quick_gelu:  // x * sigmoid(1.702 x): the same datapath as SiLU
    case Activation::sigmoid:     // SiLU is x * sigmoid(x): one pass of the same datapath
    case Activation::silu: return {{"silu", e}};
    case Activation::relu: return {{"max", e}};
    case Activation::tanh: return {{"tanh", e}};
    case Activation::clip: return {{"max", e}, {"max", e}};                     // the lower, then the upper bound
    case Activation::leaky_relu: return {{"mul", e}, {"max", e}};               // max(x, a x)
    case Activation::hardsigmoid: return {{"mul", e}, {"add", e}, {"max", e}, {"max", e}};  // clamp(a x + b, 0, 1)
    case Activation::hardswish: return {{"mul", e}, {"add", e}, {"max", e}, {"max", e}, {"mul", e}};
    case Activation::exp: return {{"exp", e}};
    case Activation::sqrt: return {{"rsqrt", e}, {"mul", e}};                    // x * rsqrt(x)
    case Activation::reciprocal: return {{"div", e}};
    case Activation::square: return {{"mul", e}};
  }
  return {{"gelu", e}};
}

}  // namespace

std::vector<VectorPass> vector_passes(const Op& op, std::uint64_t rows, std::uint64_t cols) {
  const std::uint64_t e = rows * cols;
  switch (op.kind) {
    case OpKind::add: return {{"add", e}};
    case OpKind::mul: return {{"mul", e}};
    case OpKind::div: return {{"div", e}};
    case OpKind::activation: return activation_passes(op.act, e);
    case OpKind::reduce_sum: return {{"sum", e}};
    case OpKind::reduce_mean: return {{"sum", e}, {"mul", rows}};
    case OpKind::reduce_max: return {{"max", e}};
    case OpKind::scale_shift: return {{"mul", e}, {"add", e}};
    case OpKind::quantize: return {{"max", e}, {"max", e}, {"mul", e}, {"add", e}};
    case OpKind::softmax:
      return {{"max", e}, {"add", e}, {"exp", e}, {"sum", e}, {"div", rows}, {"mul", e}};
    case OpKind::layernorm:
      return {{"sum", e}, {"add", e}, {"mul", e}, {"sum", e}, {"rsqrt", rows}, {"mul", e}, {"mul", e}, {"add", e}};
    case OpKind::rmsnorm: return {{"mul", e}, {"sum", e}, {"rsqrt", rows}, {"mul", e}, {"mul", e}};
    case OpKind::copy: return {};  // data movement only: its loads and stores are the op
    default: return {};
  }
}

std::uint64_t pass_cycles(const VectorSpec& v, const VectorPass& p) {
  const std::uint64_t lanes = static_cast<std::uint64_t>(v.lanes);
  return (p.elements + lanes - 1) / lanes * static_cast<std::uint64_t>(v.op_cycles.at(p.op)) +
         static_cast<std::uint64_t>(v.pipeline_latency);
}

VectorOp kind_of(const VectorPass& p) {
  if (const std::optional<VectorOp> kind = parse_vector_op(p.op)) return *kind;
  throw std::logic_error("vector pass of unknown kind '" + p.op + "'");
}

std::uint64_t vector_cycles(const VectorSpec& v, const std::vector<VectorPass>& passes) {
  std::uint64_t c = 0;
  for (const auto& p : passes) c += pass_cycles(v, p);
  return c;
}

}  // namespace catsim
