// Whole runs (lower -> compile -> SystemC): SCALE-Sim v2's reference rows exactly, compute-bound GEMMs
// at the array's closed form, memory-bound GEMVs at their bytes / bandwidth, and vector ops.

#include <gtest/gtest.h>

#include "sim/run/simulation.h"
#include "sim/systolic/fold_timing.h"
#include "tests/support/arch_text.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

ModelSpec tiny_bert() {
  return load_model(test::write_file("tiny.yaml",
                                     "family: bert\nlayers: 2\nhidden: 64\nheads: 2\nffn: 128\nvocab: 100\n"
                                     "max_positions: 32\nworkload: {seq_len: 16}\n"));
}

ModelSpec gemm_model(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k, const std::string& prec = "int8") {
  return load_model(test::write_file(name + ".yaml", "kind: gemm\nprecision: " + prec + "\nm: " + std::to_string(m) +
                                                         "\nn: " + std::to_string(n) + "\nk: " + std::to_string(k) + "\n"));
}


struct ScaleSimRow {
  const char* name;
  const char* dataflow;
  std::int64_t m, n, k;
  std::uint64_t total_cycles;  // SCALE-Sim v2 "Total Cycles" (shared/reference/scalesim_v2_reference.csv)
  const char* sram_kib;        // the scratchpad: tiling must not change the array's cycles
};

void PrintTo(const ScaleSimRow& row, std::ostream* os) { *os << row.name; }

class ScaleSimReference : public ::testing::TestWithParam<ScaleSimRow> {};

TEST_P(ScaleSimReference, ExactTotalCycles) {
  const ScaleSimRow& row = GetParam();
  // 32x32 array, scalesim timing, ideal DRAM (SCALE-Sim's CALC mode), at 32 KiB, 256 KiB and 4 MiB of
  // scratchpad: a small scratchpad cuts the stream into chunks, which continue their folds.
  ArchSpec arch = test::arch_from_text(
      "scalesim", test::small_arch_yaml(),
      {"arch.systolic.rows=32", "arch.systolic.cols=32", std::string("arch.systolic.dataflow=") + row.dataflow,
       "arch.systolic.timing=scalesim", "arch.dram.model=ideal", std::string("arch.sram.kib=") + row.sram_kib});
  ModelSpec model = load_model(test::write_file(
      std::string(row.name) + ".yaml",
      "kind: gemm\nm: " + std::to_string(row.m) + "\nn: " + std::to_string(row.n) + "\nk: " + std::to_string(row.k) + "\n"));
  SimulationResult r = run_simulation(arch, model);
  EXPECT_EQ(r.cycles, row.total_cycles);
  EXPECT_EQ(r.makespan_cycles, row.total_cycles + 1);  // SCALE-Sim reports the 0-based index of the last cycle
}

#define CATSIM_SCALESIM_ROWS(kib)                                                               \
  ScaleSimRow{"gemm64_os_" kib, "os", 64, 64, 64, 503, kib},                                   \
      ScaleSimRow{"gemm64_ws_" kib, "ws", 64, 64, 64, 631, kib},                               \
      ScaleSimRow{"gemm64_is_" kib, "is", 64, 64, 64, 631, kib},                               \
      ScaleSimRow{"bert_proj_os_" kib, "os", 128, 768, 768, 79679, kib},                       \
      ScaleSimRow{"bert_proj_ws_" kib, "ws", 128, 768, 768, 127871, kib},                      \
      ScaleSimRow{"bert_proj_is_" kib, "is", 128, 768, 768, 82751, kib}
INSTANTIATE_TEST_SUITE_P(Rows, ScaleSimReference,
                         ::testing::Values(CATSIM_SCALESIM_ROWS("32"), CATSIM_SCALESIM_ROWS("256"),
                                           CATSIM_SCALESIM_ROWS("4096")),
                         [](const auto& info) { return std::string(info.param.name); });
#undef CATSIM_SCALESIM_ROWS

TEST(CompiledRuns, StreamSplitContinuesTheFold) {
  // 197x3072x768 IS on 32x32, scalesim timing, ideal DRAM, one core, 256 KiB: the stream N = 3072 does not
  // fit whole, yet the chunks continue their folds: 24 row folds x 7 column folds = 168 folds of
  // 2*32 + 32 + 3072 - 2 = 3166 cycles = 531,888; SCALE-Sim v2 reports 531,887 (the last cycle's index).
  ArchSpec arch = test::arch_from_text(
      "stream", test::small_arch_yaml(),
      {"arch.systolic.rows=32", "arch.systolic.cols=32", "arch.systolic.dataflow=is", "arch.systolic.timing=scalesim",
       "arch.dram.model=ideal", "arch.sram.kib=256"});
  SimulationResult r = run_simulation(arch, gemm_model("stream", 197, 3072, 768));
  EXPECT_GT(r.program.ops[0].cores[0].mapping.ns, 1);  // the stream really is cut
  EXPECT_EQ(r.cycles, 531'887u);
}

TEST(CompiledRuns, KChunksUnderOsContinueTheFold) {
  // 4x4 OS pipelined, ideal DRAM, 1 KiB: K = 512 streams in chunks (A and B rows of 512 bytes do not fit
  // double-buffered), M = N = 8 -> F = 4 folds, T = 512: 512 + 2*512 + (512+4+4-2) = 2,054.
  ArchSpec arch = test::arch_from_text("kchunks", test::small_arch_yaml(), {"arch.dram.model=ideal", "arch.sram.kib=1"});
  SimulationResult r = run_simulation(arch, gemm_model("kchunks", 8, 8, 512));
  EXPECT_GT(r.program.ops[0].cores[0].mapping.ns, 1);
  EXPECT_EQ(r.cycles, 2'054u);
}

TEST(CompiledRuns, FillAndDrainAreTheArrayCyclesBeyondStreaming) {
  // 4x4 OS pipelined, ideal DRAM, M = N = 8 -> F = 4 folds. K = 512: T = 512, the chain
  // 512 + 2*512 + (512+4+4-2) = 2,054 cycles, of which 4 x 512 = 2,048 stream: 6 fill and drain (R + C - 2).
  ArchSpec arch = test::arch_from_text("filldrain", test::small_arch_yaml(), {"arch.dram.model=ideal"});
  SimulationResult r = run_simulation(arch, gemm_model("long", 8, 8, 512));
  EXPECT_EQ(r.ops[0].array_busy, 2'054u);
  EXPECT_EQ(r.ops[0].fill_drain_cycles, 6u);
}

TEST(CompiledRuns, AShortStreamIsMostlyFillAndDrain) {
  // The same array and M, N with K = 2: T = 2 < R, so each fold after the first waits max(T, R) = 4 for the
  // row ports: 2 + 2*4 + (2+4+4-2) = 18 cycles, of which 4 x 2 = 8 stream: 10 fill and drain.
  ArchSpec arch = test::arch_from_text("short", test::small_arch_yaml(), {"arch.dram.model=ideal"});
  SimulationResult r = run_simulation(arch, gemm_model("short", 8, 8, 2));
  EXPECT_EQ(r.ops[0].array_busy, 18u);
  EXPECT_EQ(r.ops[0].fill_drain_cycles, 10u);
}

// A GEMM on the datacenter part with ideal DRAM and `cores` cores; `note`: how the op was split.
std::uint64_t datacenter_cycles(int cores, std::int64_t m, std::int64_t n, std::int64_t k, std::string* note = nullptr) {
  ArchSpec arch = test::arch_from_text(
      "cores", test::slurp(std::string(CATSIM_SOURCE_DIR) + "/configs/arch/datacenter.yaml"),
      {"arch.dram.model=ideal", "arch.cores=" + std::to_string(cores)});
  SimulationResult r = run_simulation(arch, gemm_model("cores", m, n, k));
  if (note) *note = r.ops[0].note;
  return r.cycles;
}

// 512x512x4096 INT8 on the datacenter part (128x128 OS, 2 MACs per PE per cycle: T = 4096/2 = 2048),
// ideal DRAM: c cores split M x N into c shares of F/c folds each, so the makespan is the closed form of
// one share: 16 folds on 1 core: 2048 + 14*2048 + (2048+128+128-2) = 33,022.
std::uint64_t datacenter_gemm_cycles(int cores) { return datacenter_cycles(cores, 512, 512, 4096); }
constexpr std::uint64_t kOneCore = 33'022;

TEST(CompiledRuns, CoreSplitOne) { EXPECT_EQ(datacenter_gemm_cycles(1), kOneCore); }
TEST(CompiledRuns, CoreSplitTwo) {
  // 8 folds per core: 2048 + 6*2048 + 2302 = 16,638 (1.98x)
  EXPECT_EQ(datacenter_gemm_cycles(2), 16'638u);
  EXPECT_GE(static_cast<double>(kOneCore) / 16'638, 0.9 * 2);
}
TEST(CompiledRuns, CoreSplitFour) {
  // 4 folds per core (2 x 2 of M x N): 2048 + 2*2048 + 2302 = 8,446 (3.91x)
  EXPECT_EQ(datacenter_gemm_cycles(4), 8'446u);
  EXPECT_GE(static_cast<double>(kOneCore) / 8'446, 0.9 * 4);
}
TEST(CompiledRuns, CoreSplitEight) {
  // 2 folds per core (2 x 4 of M x N): 2048 + 0 + 2302 = 4,350 (7.59x)
  EXPECT_EQ(datacenter_gemm_cycles(8), 4'350u);
  EXPECT_GE(static_cast<double>(kOneCore) / 4'350, 0.9 * 8);
}

// 128x128x65536 INT8 on the datacenter part, ideal DRAM: one fold, so only K can be split. One core
// streams K = 65536 at 2 MACs per PE per cycle: 32,768 + (128+128-2) = 33,022. On c cores each share
// streams K/c and writes 128x128 partial sums; then each core adds the c parts of its 128/c rows in 4
// chunks on its 512-lane vector unit (add: 1 cycle per pass of 512 elements, pipeline latency 6); ideal
// DRAM moves the partial sums in no time.
std::uint64_t k_split_cycles(int cores, std::string* tiling = nullptr) {
  return datacenter_cycles(cores, 128, 128, 65536, tiling);
}
constexpr std::uint64_t kKOneCore = 33'022;

TEST(CompiledRuns, KSplitOne) { EXPECT_EQ(k_split_cycles(1), kKOneCore); }
TEST(CompiledRuns, KSplitTwo) {
  // chain 16,384 + 254 = 16,638; reduction: 64 rows per core in 4 chunks of 16x128 = 2,048 elements,
  // 1 add each: 4 x (2,048/512 + 6) = 40. Total 16,678 (1.98x).
  std::string tiling;
  EXPECT_EQ(k_split_cycles(2, &tiling), 16'678u);
  EXPECT_NE(tiling.find("K over 2 of 2"), std::string::npos) << tiling;
  EXPECT_GE(static_cast<double>(kKOneCore) / 16'678, 0.9 * 2);
}
TEST(CompiledRuns, KSplitFour) {
  // chain 8,192 + 254 = 8,446; 32 rows per core in 4 chunks of 1,024 elements, 3 adds each:
  // 4 x (3,072/512 + 6) = 48. Total 8,494 (3.89x).
  EXPECT_EQ(k_split_cycles(4), 8'494u);
  EXPECT_GE(static_cast<double>(kKOneCore) / 8'494, 0.9 * 4);
}
TEST(CompiledRuns, KSplitEight) {
  // chain 4,096 + 254 = 4,350; 16 rows per core in 4 chunks of 512 elements, 7 adds each:
  // 4 x (3,584/512 + 6) = 52. Total 4,402 (7.50x).
  EXPECT_EQ(k_split_cycles(8), 4'402u);
  EXPECT_GE(static_cast<double>(kKOneCore) / 4'402, 0.9 * 8);
}

TEST(CompiledRuns, ConsumersStartOnTheRowsTheyRead) {
  // The FFN activation reads the up projection row by row: with tiles of rows it starts before the up
  // projection ends (an op-level barrier would make it wait for the last tile).
  ArchSpec arch = test::arch_from_text("overlap", test::small_arch_yaml(), {"arch.sram.kib=8"});
  SimulationResult r = run_simulation(
      arch, load_model(test::write_file("overlap.yaml", "family: bert\nlayers: 1\nhidden: 64\nheads: 2\nffn: 128\n"
                                                        "vocab: 100\nmax_positions: 128\nworkload: {seq_len: 64}\n")));
  const OpResult *up = nullptr, *act = nullptr;
  for (const auto& o : r.ops) {
    if (o.name == "L0.ffn.up") up = &o;
    if (o.name == "L0.ffn.act") act = &o;
  }
  ASSERT_TRUE(up && act);
  EXPECT_LT(act->start_cycle, up->end_cycle);
}

TEST(CompiledRuns, ComputeBoundGemmTakesTheClosedForm) {
  ArchSpec arch = test::arch_from_text("cb", test::small_arch_yaml(), {"arch.dram.model=ideal"});
  SimulationResult r = run_simulation(arch, gemm_model("cb", 8, 8, 16));
  // 4x4 OS pipelined, M=N=8 -> F = 2*2 = 4 folds, T = K = 16:
  // T + (F-2)*max(T,R) + (T+R+C-2) = 16 + 2*16 + (16+4+4-2) = 70
  EXPECT_EQ(r.cycles, 70u);
  EXPECT_EQ(r.ops[0].bound, Bound::compute);
}

TEST(CompiledRuns, Int4PacksTwoMacsPerPe) {
  ArchSpec arch = test::arch_from_text("i4", test::small_arch_yaml(), {"arch.dram.model=ideal"});
  SimulationResult r = run_simulation(arch, gemm_model("i4", 8, 8, 16, "int4"));
  // int4 rate 2 packs K: T = 16/2 = 8 -> 8 + 2*8 + (8+4+4-2) = 38
  EXPECT_EQ(r.cycles, 38u);
  EXPECT_EQ(r.counts.macs[Precision::int4], 8u * 8 * 16);
}

TEST(CompiledRuns, Fp16AtHalfRateStretchesTheStream) {
  ArchSpec arch = test::arch_from_text("f16", test::small_arch_yaml(), {"arch.dram.model=ideal"});
  SimulationResult r = run_simulation(arch, gemm_model("f16", 8, 8, 16, "fp16"));
  // fp16 rate 1/2: T = 2*16 = 32 -> 32 + 2*32 + (32+4+4-2) = 134
  EXPECT_EQ(r.cycles, 134u);
}

TEST(CompiledRuns, MemoryBoundGemvTakesItsBytesOverBandwidth) {
  // 4x64 OS array: a GEMV streams 64 weights per cycle, four times what DRAM delivers (16 B/cycle).
  ArchSpec arch = test::arch_from_text("mb", test::small_arch_yaml(), {"arch.systolic.cols=64"});
  SimulationResult r = run_simulation(arch, gemm_model("mb", 1, 512, 512));
  // 512*512 weights + 512 inputs = 262,656 bytes at 16 B/cycle = 16,416 cycles of DRAM time at least.
  const std::uint64_t floor = 262'656 / 16;
  EXPECT_EQ(r.ops[0].bound, Bound::memory);
  EXPECT_GE(r.cycles, floor);
  // To tile granularity: each DMA command adds 10 cycles of latency (and at most 1 of rounding), and the
  // last tile's compute and its 512-byte store (32 + 10 cycles) follow the last load.
  std::uint64_t last_tile = 0;
  for (const auto& c : r.program.commands)
    if (c.unit == UnitKind::array) last_tile = std::max(last_tile, c.cycles);
  EXPECT_LE(r.cycles, floor + r.counts.dma_transfers * (10 + 1) + last_tile + 32 + 10);
  EXPECT_GT(r.counts.dma_transfers, 2u);  // the tiler pipelines instead of loading everything up front
}

TEST(CompiledRuns, DoubleBufferedDmaHidesBehindCompute) {
  // Compute-heavy GEMM: K = 2048 streamed per fold, 16 folds; DRAM time for all operands is far smaller.
  ArchSpec arch = test::arch_from_text("hide", test::small_arch_yaml(), {"arch.dram.bandwidth_gbps=64"});
  SimulationResult r = run_simulation(arch, gemm_model("hide", 16, 16, 2048));
  const std::uint64_t array = array_cycles(Dataflow::os, ArrayTiming::pipelined, {4, 4}, {16, 16, 2048}, 1.0);
  // Only the first load and the last store are exposed: array time plus a few hundred cycles at most.
  EXPECT_GE(r.cycles, array);
  EXPECT_LT(r.cycles, array + array / 10);
}

TEST(CompiledRuns, SoftmaxVectorPasses) {
  ArchSpec arch = test::arch_from_text("vec", test::small_arch_yaml(), {"arch.dram.model=ideal"});
  ModelSpec m = load_model(test::write_file(
      "tiny_bert.yaml",
      "family: bert\nlayers: 1\nhidden: 8\nheads: 1\nffn: 8\nvocab: 16\nmax_positions: 8\nworkload: {seq_len: 8}\n"));
  SimulationResult r = run_simulation(arch, m);
  const OpResult* sm = nullptr;
  for (const auto& o : r.ops)
    if (o.name == "L0.attn.softmax") sm = &o;
  ASSERT_NE(sm, nullptr);
  // 8 rows x 8 = 64 elements on 8 lanes: passes max, add, exp, sum, mul each ceil(64/8) = 8 x op cycles
  // (1, 1, 4, 1, 1) + div over 8 rows ceil(8/8) = 1 x 4; plus 2 cycles latency per pass (6 passes):
  // 8 + 8 + 32 + 8 + 4 + 8 + 6*2 = 80
  EXPECT_EQ(sm->cycles, 80u);
  EXPECT_EQ(sm->bound, Bound::vector);
}


TEST(CompiledRuns, ActivationsStayInTheGlobalBuffer) {
  ArchSpec arch = test::arch_from_text("glb", test::small_arch_yaml(), {"arch.sram.global_kib=256",
                                                                       "arch.sram.global_bytes_per_cycle=32"});
  SimulationResult r = run_simulation(arch, tiny_bert());
  // DRAM only serves weights and the embedding rows, each once (weights re-read by a mapping are staged
  // in the global buffer): per layer 4*64*64 + 2*64*128 = 32,768 B, two layers, pooler 64*64 = 4,096 B,
  // 16 token rows of 64 B = 1,024 B -> 70,656 B read. Only the final pooled vector (64 B, read by
  // nothing) is written back.
  EXPECT_EQ(r.counts.dram_read_bytes, 70'656u);
  EXPECT_EQ(r.counts.dram_write_bytes, 64u);
  EXPECT_GT(r.counts.sram_read_bytes[SramBufferKind::global], 0u);
}

TEST(CompiledRuns, WithoutAGlobalBufferActivationsRoundTripDram) {
  ArchSpec arch = test::arch_from_text("noglb", test::small_arch_yaml());
  SimulationResult r = run_simulation(arch, tiny_bert());
  EXPECT_GT(r.counts.dram_read_bytes, 70'656u);
  EXPECT_EQ(r.counts.sram_read_bytes[SramBufferKind::global], 0u);
}

}  // namespace
}  // namespace catsim
