#pragma once
// A compiled program: tile commands for each unit of each core (DMA, systolic array, vector unit),
// executed in order per unit, each waiting for the commands it depends on. The SystemC engine runs it.

#include <cstdint>
#include <string>
#include <vector>

// GCC 12 warns of an over-read in Boost's inline-buffer copy that its size check rules out.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
#include <boost/container/small_vector.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "arch/precision.h"
#include "sim/event_counts.h"
#include "sim/compile/core_split.h"
#include "sim/compile/huge_page_allocator.h"
#include "sim/systolic/fold_chain.h"

namespace catsim {

// Each core has an inbound DMA (DRAM or global buffer to scratchpad), an outbound DMA, a systolic array
// and a vector unit; loads and stores use separate engines, like the read and write channels of a bus.
enum class UnitKind { dma_load, dma_store, array, vector };
constexpr bool is_dma(UnitKind u) { return u == UnitKind::dma_load || u == UnitKind::dma_store; }
// Where a DMA command's far side lives: off-chip DRAM or the on-chip global buffer shared by the cores.
enum class MemoryTarget { dram, global_buffer };
inline constexpr int kUnitKinds = 4;
std::string_view name_of(UnitKind u);

using CommandId = std::uint32_t;
// The commands one command waits for: most wait for at most four (a slot's last reader, a tile's
// producers), which are kept inline rather than on the heap (a program has millions of commands).
using CommandDeps = boost::container::small_vector<CommandId, 4>;

struct Command {
  UnitKind unit = UnitKind::dma_load;
  int core = 0;
  int op = 0;                       // index into the OpGraph
  std::uint64_t cycles = 0;         // array / vector: busy cycles, closed form
  std::uint64_t dram_bytes = 0;     // dma: bytes moved between the scratchpad and `memory`
  MemoryTarget memory = MemoryTarget::dram;  // dma: DRAM or global buffer
  std::uint64_t macs = 0;           // array: MACs performed
  std::uint64_t sram_bytes = 0;     // array: scratchpad bytes its operand reads and result writes move
  CommandDeps deps;                 // commands that must finish before this one starts
  ChainSegment segment;             // array: where in its core's fold chain for the op this command stops

  bool is_store() const { return unit == UnitKind::dma_store; }
};

// Event counts a command contributes, kept beside the program (not needed for timing).
struct SramTraffic {
  std::uint64_t ifmap_read = 0, ifmap_write = 0, weight_read = 0, weight_write = 0, ofmap_read = 0,
                ofmap_write = 0, vector_read = 0, vector_write = 0, global_read = 0, global_write = 0;
  // Adds `times` x `o`.
  void add(const SramTraffic& o, std::uint64_t times = 1) {
    for (auto f : {&SramTraffic::ifmap_read, &SramTraffic::ifmap_write, &SramTraffic::weight_read,
                   &SramTraffic::weight_write, &SramTraffic::ofmap_read, &SramTraffic::ofmap_write,
                   &SramTraffic::vector_read, &SramTraffic::vector_write, &SramTraffic::global_read,
                   &SramTraffic::global_write})
      this->*f += o.*f * times;
  }
};

// One core's part of a matmul and how it was mapped onto the scratchpad (the PE-level replay rebuilds the
// fold order from it).
struct CoreGemm {
  GemmShare share;
  GemmMapping mapping;
};

struct OpPlan {
  std::string note;          // how the op was tiled, for the report
  Precision compute = Precision::int8;
  std::uint64_t tiles = 0;
  std::uint64_t skipped_tiles = 0;  // causal attention: tile steps (a tile's chunk) skipped as all masked
  // Matmuls: array cycles beyond streaming, summed over cores: the fold chains' fill and drain, and the
  // stationary loads and swaps that a short stream does not hide (chain end - the placements' stream cycles).
  std::uint64_t fill_drain_cycles = 0;
  bool output_in_global_buffer = false;  // the op's result stays on chip for its consumers
  std::uint64_t compulsory_dram_bytes = 0;  // each DRAM-resident operand moved once: the floor of DRAM traffic
  GemmProblem gemm;                         // matmuls: one instance (GQA groups stacked), all instances
  std::vector<CoreGemm> cores;              // matmuls: per core
  SramTraffic sram;
  VectorOpCounts vector_ops;  // element operations by kind
};

struct Program {
  std::vector<Command, HugePageAllocator<Command>> commands;  // in program order
  std::vector<OpPlan> ops;        // one per OpGraph op
  int cores = 1;
  // queue[core][unit] lists command ids in execution order.
  std::vector<std::vector<std::vector<CommandId>>> queues;

  CommandId add(Command c);
};

}  // namespace catsim
