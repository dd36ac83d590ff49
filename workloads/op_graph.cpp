#include "workloads/op_graph.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include "arch/checked_math.h"

namespace catsim {

std::string_view name_of(OpKind k) {
  switch (k) {
    case OpKind::gemm: return "gemm";
    case OpKind::batched_matmul: return "batched_matmul";
    case OpKind::embedding: return "embedding";
    case OpKind::softmax: return "softmax";
    case OpKind::layernorm: return "layernorm";
    case OpKind::rmsnorm: return "rmsnorm";
    case OpKind::activation: return "activation";
    case OpKind::mul: return "mul";
    case OpKind::add: return "add";
    case OpKind::div: return "div";
    case OpKind::reduce_sum: return "reduce_sum";
    case OpKind::reduce_mean: return "reduce_mean";
    case OpKind::reduce_max: return "reduce_max";
    case OpKind::scale_shift: return "scale_shift";
    case OpKind::quantize: return "quantize";
    case OpKind::copy: return "copy";
    case OpKind::kv_write: return "kv_write";
    case OpKind::kv_read: return "kv_read";
  }
  return "?";
}

bool is_matmul(OpKind k) { return k == OpKind::gemm || k == OpKind::batched_matmul; }
bool is_transfer(OpKind k) { return k == OpKind::embedding || k == OpKind::kv_write || k == OpKind::kv_read; }
bool is_vector(OpKind k) { return !is_matmul(k) && !is_transfer(k); }

std::string Op::shape() const {
  if (kind == OpKind::gemm) return fmt::format(FMT_COMPILE("{}x{} * {}x{}"), m, k, k, n);
  if (kind == OpKind::batched_matmul) return fmt::format(FMT_COMPILE("{}x({}x{} * {}x{})"), count, m, k, k, n);
  return fmt::format(FMT_COMPILE("{}x{}"), m, n);
}

std::uint64_t OpGraph::total_macs() const {
  std::uint64_t s = 0;
  for (const auto& o : ops) s = add_u64(s, o.macs, "MACs of the forward pass");
  return s;
}

}  // namespace catsim
