#pragma once
// The state the compiler's passes share while they emit one program: the commands so far, where each op's
// result lives, which stores wrote which of its rows, the scratchpad slots each core released last, and
// the helpers every emitter uses (commands, DMA, operand loads, SRAM counts, tile-level dependencies).

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "arch/arch_spec.h"
#include "sim/compile/core_split.h"
#include "sim/compile/gemm_mapping.h"
#include "sim/compile/program.h"
#include "sim/compile/row_index.h"
#include "sim/systolic/fold_timing.h"
#include "workloads/model_spec.h"
#include "workloads/op_graph.h"

namespace catsim {

// ~0.7 GB of program, ~2 s of simulation; Llama-2-7B prefill needs 1.3 M.
inline constexpr std::size_t kMaxCommands = 4'000'000;

// What a scratchpad slot holds: up to four indices naming a tile (instance, tile indices, chunk).
struct TileKey {
  std::int64_t a = -2, b = -2, c = -2, d = -2;
  auto operator<=>(const TileKey&) const = default;
};

// A double-buffered scratchpad region: a new tile goes into the slot after the current one and must
// wait until the command that last used that slot has finished with it. A ring starts out owned by the
// previous op's last two users on the same core, so an op's first tile may prefetch into the half the
// previous op has finished with, but never into the half it is still using.
class SlotRing {
 public:
  struct Slot {
    TileKey key;
    std::optional<CommandId> last_user;
  };
  // `recent`: the core's last two releasing commands, older first (either may be absent). A `single` ring
  // has one slot (a single-buffered tile), first released by the newer command.
  explicit SlotRing(const std::array<std::optional<CommandId>, 2>& recent, bool single = false) : m_single(single) {
    m_slots[0].last_user = single ? recent[1] : recent[0];
    m_slots[1].last_user = recent[1];
  }
  Slot& current() { return m_slots[m_cur]; }
  Slot& advance() {
    m_cur = m_single ? 0 : m_cur ^ 1;
    return m_slots[m_cur];
  }

 private:
  Slot m_slots[2];
  bool m_single;
  int m_cur = 1;  // the first advance() takes slot 0, released by the older command
};

// The last two commands of one kind on one core, older first.
struct RecentPair {
  std::array<std::optional<CommandId>, 2> ids;
  void push(CommandId id) { ids = {ids[1], id}; }
};

// The compiler's passes (compiler.cpp, matmul_emitter.cpp) read and extend this state; it is a plain
// record of the program being built, so its members are public.
class ProgramBuilder {
 public:
  using i64 = std::int64_t;
  using u64 = std::uint64_t;

  ProgramBuilder(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph);
  // A builder for `context`'s current op alone, or with its next `ops` - 1 ops (the op timer's candidates):
  // the ops before it left where `context` put their results, but none of their commands; nothing is kept
  // for the ops after those.
  static ProgramBuilder for_op_alone(const ProgramBuilder& context, int ops = 1);

  // (1) Capacity of DRAM: the weights, then the KV cache, must fit (ConfigError otherwise).
  void check_dram_capacity() const;

  // (3) A matmul as the mapper sees it: one instance with GQA heads stacked into M, the compute rate of its
  // precision (ConfigError when the array does not support it), and where its operands and output live.
  GemmProblem gemm_problem(const Op& op) const;
  // (3c) Independent siblings: the consecutive ops from `first` on that are matmuls of the same problem and
  // read none of each other's results (a layer's Q, K and V projections, a gated FFN's gate and up). Matmuls
  // go to successive cores, so siblings that use fewer cores than the chip has run side by side, and their
  // schedule is chosen for all of them together. Returns how many there are (1: `first` has none, or the
  // chip has one core, which runs them one after another whatever their split).
  int sibling_count(int first) const;
  // The size of the sibling group the current op belongs to, found at the group's first op.
  int sibling_group();

  // The ConfigError for a matmul no split can fit.
  [[noreturn]] void throw_no_fit(const Op& op, const GemmProblem& p) const;
  // The op table's note for a split (tile, loop order, residency, axis, reduction path).
  std::string describe(const GemmSplit& split) const;
  // Each DRAM-resident operand of a matmul once: inputs read from DRAM, the output if it goes there.
  u64 compulsory_bytes(const Op& op) const;
  // Appends the count of tile steps a causal mask skipped to the op's note (when it skipped any).
  void note_skipped_tiles();

  // (3b) A K split's reduction: each of the `parts` cores adds all parts for its slice of the output (rows,
  // or columns when there are fewer rows than parts) in chunks of chunk_rows x width that fit its
  // scratchpad double-buffered.
  struct ReductionShare {
    int core;
    i64 r0, r1, c0, c1, chunk_rows, width;
  };
  std::vector<ReductionShare> reduction_shares(const GemmProblem& p, int parts, int first_core) const;
  // Counts `times` reduction chunks of `elements` outputs into the op's plan; returns one chunk's cycles.
  u64 count_reduction_chunk(const GemmProblem& p, int parts, u64 elements, u64 times);

  // (4) Vector ops: rows in equal shares per core; each share in the number of chunks (1, 2, 4, ...) that
  // minimizes an estimate of its time, so that loading, computing and storing overlap when memory matters
  // and a pass's pipeline latency is not paid more often than it buys.
  // A row of an element-wise op (add, mul, activation) too long for the scratchpad is cut into `pieces`
  // equal pieces, each then counted as a row of its own (rows, share and chunk count pieces).
  struct VectorLayout {
    u64 row_in, row_out;  // bytes per row (piece) read (all inputs) and written
    i64 rows, share, chunk;
    i64 pieces = 1, cols = 0;  // pieces per row of the op, elements per piece
    i64 op_row(i64 piece) const { return piece / pieces; }  // the op's row a piece belongs to
  };
  // The layout, with the op's note and compulsory bytes set in its plan.
  VectorLayout vector_layout(const Op& op);
  // Counts `times` chunks of `rows` rows into the op's plan; returns one chunk's cycles.
  u64 count_vector_chunk(const Op& op, const VectorLayout& l, i64 rows, u64 times);

  // (5) Transfers: the embedding gather reads each core's share of the rows from DRAM and writes it where
  // the op's output lives. Sets the note, SRAM counts and compulsory bytes; returns the shares (none for the
  // KV-cache ops, whose bytes the projections' stores and attention's loads move).
  struct GatherShare {
    int core;
    i64 begin, end;  // rows
    u64 in_bytes, out_bytes;
  };
  std::vector<GatherShare> plan_transfer(const Op& op);

  // A program beyond kMaxCommands would take gigabytes to hold and minutes to run: refuse it clearly,
  // before emitting an op's `upcoming` commands.
  void check_program_size(const Op& op, u64 upcoming) const;

  // The same for a matmul's split: at most six commands per tile step of every share.
  void check_matmul_size(const Op& op, const GemmProblem& p, const GemmSplit& split) const;

  // (2) Activation residency: an op's result stays in the shared global buffer when it fits a quarter of
  // it (room for the residual stream, the op's inputs and its output at once) and something reads it;
  // results written into the KV cache, and the graph's final outputs, go to DRAM. Decided for every op
  // when the builder is made (OpPlan::output_in_global_buffer).
  bool keeps_output_on_chip(int index) const;

  // (2b) Staging: a matmul whose DRAM operands fit 3/4 of the global buffer reads each block from DRAM once
  // and re-reads it from the global buffer (every core: one core's first read stages it for the others).
  bool stages_inputs(const Op& op) const;

  // Where an input produced by `producer` is read from.
  MemoryTarget source_of(int producer) const;

  MemoryTarget source_of_all(const Op& op) const;

  MemoryTarget output_target() const;

  // Commands that must finish before op inputs produced by earlier ops can be read.
  CommandDeps producers(const Op& op) const;

  CommandId emit(Command c);

  void finish_op();

  static Command dma_command(int core, u64 bytes, bool store, CommandDeps deps, MemoryTarget memory);

  CommandId dma(int core, u64 bytes, bool store, CommandDeps deps, MemoryTarget memory);

  MemoryTarget a_source(const Op& op) const;

  MemoryTarget b_source(const Op& op) const;

  // Loads a tile into the next slot unless it is still resident; returns whether memory was read.
  bool load_operand(SlotRing& ring, const TileKey& key, u64 bytes, int core, const CommandDeps& prod,
                    CommandDeps& deps, MemoryTarget source);

  // SRAM reads/writes of one array command, by buffer, from its fold structure. OS outputs leave the PEs
  // once, when a fold ends; WS/IS partial sums leave every row fold and add onto earlier ones, and their
  // stationary operand is read when a command starts its folds (a later chunk of a continued fold finds it
  // in the PEs). Returns the command's bytes.
  u64 count_array_sram(const GemmProblem& p, GemmShape s, bool starts_fold, bool ends_fold, bool accumulates);

  // Spilled partial sums go to the global buffer when all of them fit a quarter of it, else to DRAM.
  MemoryTarget spill_target(const GemmProblem& p) const;

  // (6) Tile-level dependencies: the producer stores a reader of flat rows [r0, r1) of `op`'s inputs
  // waits for. Rows map one to one when both ops have as many; with batch 1, token rows and
  // (head, token) rows map through the token (a head-major layout); anything else waits for the whole
  // producer. A matmul's B operand (weights, keys, values) is not row-matched: see producers().
  void row_deps(const Op& op, i64 r0, i64 r1, CommandDeps& out) const;

  // Rows of an op's output in the flat numbering consumers use (instances or heads first, then M).
  static i64 output_rows(const Op& op);

  OpPlan& plan();

  const ArchSpec& m_arch;
  const ModelSpec& m_model;
  const OpGraph& m_graph;
  Program m_prog;
  int m_op = 0;
  std::vector<CommandDeps> m_done;  // per op: its last command on each (core, unit)
  std::vector<RowIndex> m_rows;                // per op: which stores wrote which output rows
  std::map<TileKey, CommandId> m_staged;           // the current op's operand blocks staged in the global buffer
  RowIndex m_partial_rows;                     // the current K-split op: which stores wrote which partial rows
  std::map<std::pair<int, int>, CommandId> m_last;
  std::vector<bool> m_feeds_cache;  // per op: its output is written into the KV cache
  std::vector<int> m_consumers;    // per op: how many ops read its output
  std::vector<RecentPair> m_recent_compute;  // per core: last two array/vector commands (free input slots)
  std::vector<RecentPair> m_recent_store;    // per core: last two stores (free output slots)
  int m_group_end = 0, m_group_size = 1;     // the current sibling group: one past its last op, its size

 private:
  // gemm_problem of the op at `index` (whose result's residency and cache write it reads).
  GemmProblem gemm_problem_at(const Op& op, int index) const;

  // Room for the first `ops` ops of the graph.
  ProgramBuilder(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph, int ops);
};

}  // namespace catsim
