#pragma once
// Maps one core's share of a GEMM onto the scratchpad: tile sizes, tile loop order and where partial sums
// live, chosen by a cost model of DRAM bytes and time over a small exhaustive space. The array runs fold by
// fold with the streamed dimension innermost; a fold spans the whole array, or (to keep every schedule of a
// smaller array) only part of it, paying the whole array's fill and drain.

#include <cstdint>
#include <optional>

#include "arch/arch_spec.h"
#include "sim/compile/causal_mask.h"

namespace catsim {

enum class GemmDim { m, n, k };

// Where a dataflow puts the GEMM dimensions: P1 on PE rows, P2 on PE columns, S streamed.
//   OS: P1 = M, P2 = N, S = K (outputs stay in the PEs)   WS: P1 = K, P2 = N, S = M   IS: P1 = K, P2 = M, S = N
// The three tensors by the dimensions they span: Stat = P1 x P2 (held by a fold), X1 = P1 x S, X2 = P2 x S.
//   OS: A = X1, B = X2, C = Stat     WS: A = X1, B = Stat, C = X2     IS: A = Stat, B = X1, C = X2
struct DimRoles {
  GemmDim p1, p2, s;
};
DimRoles roles_of(Dataflow dataflow);

enum class Tensor { stat, x1, x2 };
enum class GemmOperand { a, b, c };
GemmOperand operand_of(Dataflow dataflow, Tensor t);

struct GemmProblem {
  std::int64_t m = 0, n = 0, k = 0;  // one instance: (m x k) * (k x n)
  std::int64_t instances = 1;        // independent instances run one after another on the core
  Precision a = Precision::int8, b = Precision::int8, out = Precision::int8;
  int acc_bits = 32;  // partial sums
  double rate = 1.0;  // MACs per PE per cycle at the compute precision
  // Where the tensors live: the shared global buffer (on chip) or DRAM; `staged`: DRAM inputs are read
  // from DRAM once and re-read from the global buffer.
  bool a_on_chip = false, b_on_chip = false, c_on_chip = false, psum_on_chip = false, staged = false;
  double global_bytes_per_cycle = 0;  // this core's share of the global buffer's bandwidth
  // Cores that read the same staged A (B) tiles in step, this one included: the first read of a block
  // leaves DRAM once for all of them, so each is charged 1/sharers of it (the rest comes from the buffer).
  std::int64_t a_sharers = 1, b_sharers = 1;
  CausalMask causal;  // attention under a causal mask: the compiler skips all-masked tiles (not the mapper)
};

// Bytes one mapping moves between the scratchpad and memory, all instances.
struct GemmTraffic {
  std::uint64_t a_read = 0, b_read = 0, c_write = 0;  // operands in, final results out
  std::uint64_t psum_read = 0, psum_write = 0;        // partial sums spilled and read back
  std::uint64_t dram = 0, global = 0;                 // the same bytes by where they go
  std::uint64_t dram_store = 0, global_store = 0;     // of which stores (results, spilled partial sums)
  std::uint64_t total() const { return a_read + b_read + c_write + psum_read + psum_write; }
  // What the mapper minimizes: a DRAM byte costs about as much energy as kDramWeight global-buffer bytes.
  static constexpr std::uint64_t kDramWeight = 8;
  std::uint64_t cost() const { return kDramWeight * dram + global; }
  bool operator==(const GemmTraffic&) const = default;
};

struct GemmMapping {
  std::int64_t t1 = 0, t2 = 0, ts = 0;  // tile sizes along P1, P2, S (elements)
  std::int64_t n1 = 0, n2 = 0, ns = 0;  // tile counts
  std::int64_t u1 = 0, u2 = 0;          // one fold along P1, P2 (elements)
  bool part_folds = false;              // u1 or u2 spans only part of the array (a smaller array's fold)
  bool p1_outer = true;                 // tile loops: P1 outer, P2 inner (else P2 outer)
  // X1 (X2) stays in the scratchpad, whole along S, while the inner loop runs: always the outer loop's
  // operand when the stream is whole; a choice when it is chunked. A held WS/IS output keeps its partial
  // sums on chip across the K tiles; otherwise they spill to memory and come back.
  bool hold_x1 = false, hold_x2 = false;
  // Chunked stream over multi-fold tiles: the tile's folds run chunk by chunk, each fold placed again for
  // every chunk (partial sums wait in the tile's output buffer, in acc bits): fewer re-reads of the
  // operands for a little array time where a chunk streams fewer than R cycles (and per placement in
  // scalesim timing).
  bool reload = false;
  // The stationary tile (WS/IS: the input a fold holds; OS: the outputs it drains) has one buffer instead of
  // two: the next tile's is loaded (OS: this one's stored) only after this tile's last fold, so a scratchpad
  // too small to double-buffer a whole fold still runs whole folds (SCALE-Sim's 1 KB filter buffer holds one
  // 32x32 fold of INT8 weights). Offered only for tiles that do not fit double-buffered.
  bool single_stat = false;
  GemmTraffic traffic;
  std::uint64_t footprint = 0;          // scratchpad bytes: streamed tiles double-buffered
  std::uint64_t loads = 0;              // DMA load commands
  std::uint64_t array_cycles = 0;       // the share's fold chain, closed form
  std::uint64_t estimate = 0;           // cost model: cycles
  std::uint64_t steady = 0;             // cost model without the first tile's loads: max(array, memory)
  // Output partials: K spans several P1 tiles (WS/IS) and they meet in memory, not in the PEs.
  bool spills(Dataflow df) const { return df != Dataflow::os && n1 > 1 && !hold_x2; }
  bool operator==(const GemmMapping&) const = default;
};

// Size of `d` in the problem.
std::int64_t dim_size(const GemmProblem& p, GemmDim d);

// Smallest footprint any mapping needs (the smallest part-array fold single-buffered, one stream element
// double-buffered), bytes, by operand: what SCALE-Sim's split ifmap (A), filter (B) and ofmap (C) buffers
// must each hold, and their sum for one scratchpad.
struct GemmFootprint {
  std::uint64_t a = 0, b = 0, c = 0;
  std::uint64_t total() const { return a + b + c; }
};
GemmFootprint min_gemm_footprint(const ArchSpec& arch, const GemmProblem& p);

// The best mapping that fits the scratchpad, or nullopt when even the smallest does not.
// `dram_bytes_per_cycle` is the share of DRAM bandwidth this core can expect (all cores compete).
std::optional<GemmMapping> choose_gemm_mapping(const ArchSpec& arch, const GemmProblem& p, double dram_bytes_per_cycle);

// Up to `n` distinct mappings that fit: the choice above first, then the fastest by estimate (fewer bytes
// first among equal estimates). The candidates the op timer runs through the engine.
std::vector<GemmMapping> ranked_gemm_mappings(const ArchSpec& arch, const GemmProblem& p, double dram_bytes_per_cycle,
                                              int n);

// Every mapping that fits (the search space, for tests that check the chosen one against brute force).
std::vector<GemmMapping> all_gemm_mappings(const ArchSpec& arch, const GemmProblem& p, double dram_bytes_per_cycle);

}  // namespace catsim

namespace catsim {

// P1, P2 and S sizes of a problem under a dataflow.
struct RoleSizes {
  std::int64_t p1, p2, s;
};
RoleSizes role_sizes(Dataflow dataflow, const GemmProblem& p);




}  // namespace catsim
