#pragma once
// The operator graph of one forward pass: every GEMM, batched matmul, vector op and KV-cache transfer
// with its exact shape, operand precisions, MACs and bytes. The simulator tiles this; `info` prints it.

#include <cstdint>
#include <string>
#include <vector>

#include "arch/precision.h"
#include "workloads/model_spec.h"

namespace catsim {

// Vector kinds from imported graphs: reduce_* turn each row of n elements into out_cols (pooling, global
// pooling, reductions); scale_shift is x * a + b per element (inference BatchNorm, (de)quantization);
// quantize is a dynamic quantization (the row's range, then the scale and shift); copy moves data through
// the vector unit's buffer without arithmetic (padding, resizing, tiling).
enum class OpKind {
  gemm, batched_matmul, embedding, softmax, layernorm, rmsnorm, activation, mul, add, div,
  reduce_sum, reduce_mean, reduce_max, scale_shift, quantize, copy, kv_write, kv_read
};

std::string_view name_of(OpKind k);
bool is_matmul(OpKind k);  // gemm or batched_matmul: runs on the systolic array
bool is_vector(OpKind k);  // runs on the vector unit
bool is_transfer(OpKind k);  // embedding gather, KV-cache read/write: DMA only

enum class CausalKeys { none, n, k };

struct Op {
  std::string name;  // e.g. "L3.attn.q_proj", "text.L0.ffn.up"
  OpKind kind = OpKind::gemm;
  std::string tower;  // "" or "text"/"vision"
  int layer = -1;     // -1 outside the layer stack
  // Matmuls: `count` independent (m x k)·(k x n) products. Vector ops: m rows of n elements.
  // Transfers: m rows (tokens) of n elements.
  std::int64_t count = 1, m = 0, n = 0, k = 0;
  Precision a_prec = Precision::int8;    // left operand / vector input
  Precision b_prec = Precision::int8;    // right operand (weights or KV cache)
  Precision out_prec = Precision::int8;  // result
  bool b_is_weight = false;              // right operand is a parameter tensor (read from DRAM)
  bool bias = false;                     // a bias is added to the result (fused into the array's output)
  std::int64_t b_count = 1;              // distinct right operands (GQA: kv_heads x batch for QK^T / AV)
  int inputs = 1;                        // vector ops: tensors of m x n read (2 for add / mul)
  std::int64_t out_cols = 0;             // vector ops: elements written per row when fewer than n (reductions)
  Activation act = Activation::gelu;     // for kind == activation
  std::uint64_t macs = 0;
  std::uint64_t a_bytes = 0, b_bytes = 0, bias_bytes = 0, out_bytes = 0;
  std::vector<int> deps;  // indices of the ops whose results this op reads
  // Imported graphs: the rows this op reads (its left operand, or a vector op's inputs) reach it through a
  // transpose that moves the innermost axis, so its row r is not its producers' row r: it waits for them whole.
  bool reordered_rows = false;
  // Causal attention matmuls: query i (row i mod m of each product) sees keys 0 .. i + causal_offset,
  // which run along N (QK^T) or K (AV). Products of a query with a later key are masked.
  CausalKeys causal = CausalKeys::none;
  std::int64_t causal_offset = 0;

  std::uint64_t bytes_read() const { return a_bytes + b_bytes + bias_bytes; }
  std::uint64_t bytes_written() const { return out_bytes; }
  std::string shape() const;  // human-readable, e.g. "12x(128x64 * 64x128)"
};

struct OpGraph {
  std::vector<Op> ops;
  std::uint64_t total_macs() const;
  std::uint64_t kv_cache_bytes = 0;  // bytes the KV cache holds for this workload (0 without a cache)
};

OpGraph lower(const ModelSpec& m);

}  // namespace catsim
