#include "sim/vector/vector_cost.h"

#include <optional>
#include <stdexcept>

namespace catsim {
namespace {

const char* activation_op(Activation a) {
  switch (a) {
    case Activation::gelu:
    case Activation::gelu_tanh: return "gelu";
    case Activation::quick_gelu:  // x * sigmoid(1.702 x): the same datapath as SiLU
    case Activation::sigmoid:     // SiLU is x * sigmoid(x): one pass of the same datapath
    case Activation::silu: return "silu";
    case Activation::relu: return "max";
    case Activation::tanh: return "tanh";
  }
  return "gelu";
}

}  // namespace

std::vector<VectorPass> vector_passes(const Op& op, std::uint64_t rows, std::uint64_t cols) {
  const std::uint64_t e = rows * cols;
  switch (op.kind) {
    case OpKind::add: return {{"add", e}};
    case OpKind::mul: return {{"mul", e}};
    case OpKind::div: return {{"div", e}};
    case OpKind::activation: return {{activation_op(op.act), e}};
    case OpKind::softmax:
      return {{"max", e}, {"add", e}, {"exp", e}, {"sum", e}, {"div", rows}, {"mul", e}};
    case OpKind::layernorm:
      return {{"sum", e}, {"add", e}, {"mul", e}, {"sum", e}, {"rsqrt", rows}, {"mul", e}, {"mul", e}, {"add", e}};
    case OpKind::rmsnorm: return {{"mul", e}, {"sum", e}, {"rsqrt", rows}, {"mul", e}, {"mul", e}};
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
