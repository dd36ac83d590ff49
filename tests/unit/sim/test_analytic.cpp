// The closed-form estimators (sim/analytic): exact where the closed form is exact (compute-bound GEMMs,
// ideal memory), the layer sample compiled to the very tiling the full compile chooses, and a bounded,
// documented divergence from the cycle-level run elsewhere (README, "Analytical models").

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "arch/config/error.h"
#include "sim/analytic/estimator.h"
#include "sim/analytic/layer_sample.h"
#include "sim/compile/compiler.h"
#include "tests/support/arch_text.h"
#include "tests/support/paths.h"
#include "tests/support/random_designs.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

ModelSpec gemm(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k) {
  return load_model(test::write_file(name + ".yaml", "kind: gemm\nm: " + std::to_string(m) + "\nn: " +
                                                         std::to_string(n) + "\nk: " + std::to_string(k) + "\n"));
}

ArchSpec shipped(const std::string& name, const std::vector<std::string>& sets = {}) {
  return test::arch_from_text(name, test::slurp(test::arch_config(name + ".yaml")), sets);
}

struct ExactRow {
  const char* name;
  const char* dataflow;
  std::int64_t m, n, k;
  std::uint64_t cycles;  // SCALE-Sim v2 Total Cycles (shared/reference/scalesim_v2_reference.csv)
  // compute when at least half the PE-cycles do a MAC: 2 x m x n x k >= 32 x 32 x (cycles + 1), else intake.
  // gemm64: 2 x 262,144 = 524,288 against 1,024 x 504 = 516,096 (OS: compute) and 1,024 x 632 = 647,168
  // (WS, IS: intake); bert_proj: 2 x 75,497,472 = 150,994,944 against at most 1,024 x 127,872 = 130,940,928.
  Bound bound;
};

void PrintTo(const ExactRow& row, std::ostream* os) { *os << row.name; }

class AnalyticScaleSimRows : public ::testing::TestWithParam<ExactRow> {};

TEST_P(AnalyticScaleSimRows, BothEstimatorsEqualTheClosedForm) {
  // One core, ideal DRAM, no global buffer, no vector op: the op is its fold chain, which both estimators
  // take from the compiled array commands. SCALE-Sim: ceil(Sr/R) * ceil(Sc/C) * (fold cycles) - 1, e.g.
  // gemm64 OS on 32x32: 2*2*(32+32+64-2) - 1 = 503.
  const ExactRow& row = GetParam();
  const ArchSpec arch = test::arch_from_text(
      "exact", test::small_arch_yaml(),
      {"arch.systolic.rows=32", "arch.systolic.cols=32", std::string("arch.systolic.dataflow=") + row.dataflow,
       "arch.systolic.timing=scalesim", "arch.dram.model=ideal", "arch.sram.kib=256"});
  const ModelSpec model = gemm(row.name, row.m, row.n, row.k);
  for (Estimator e : {Estimator::roofline, Estimator::sequential}) {
    const SimulationResult r = estimate_model(arch, model, e);
    EXPECT_EQ(r.cycles, row.cycles) << name_of(e);
    EXPECT_EQ(r.ops[0].bound, row.bound) << name_of(e);
    EXPECT_EQ(r.fidelity, name_of(e));
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, AnalyticScaleSimRows,
                         ::testing::Values(ExactRow{"gemm64_os", "os", 64, 64, 64, 503, Bound::compute},
                                           ExactRow{"gemm64_ws", "ws", 64, 64, 64, 631, Bound::intake},
                                           ExactRow{"gemm64_is", "is", 64, 64, 64, 631, Bound::intake},
                                           ExactRow{"bert_proj_os", "os", 128, 768, 768, 79'679, Bound::compute},
                                           ExactRow{"bert_proj_ws", "ws", 128, 768, 768, 127'871, Bound::compute},
                                           ExactRow{"bert_proj_is", "is", 128, 768, 768, 82'751, Bound::compute}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Analytic, CoreSplitIsTheCompilersSplit) {
  // datacenter, ideal DRAM, 512x512x4096 on 128x128 OS pipelined: 16 folds, T = 4096 ... per core the
  // closed form of its share (tests/unit/sim/test_compiled_runs.cpp): 1 core 2048 + 14*2048 + 2302 =
  // 33,022; 4 cores (2 x 2 of M x N, 4 folds each) 2048 + 2*2048 + 2302 = 8,446.
  const ModelSpec model = gemm("split", 512, 512, 4096);
  EXPECT_EQ(estimate_model(shipped("datacenter", {"arch.dram.model=ideal", "arch.cores=1"}), model,
                           Estimator::roofline).cycles,
            33'022u);
  EXPECT_EQ(estimate_model(shipped("datacenter", {"arch.dram.model=ideal"}), model, Estimator::roofline).cycles,
            8'446u);
}

TEST(Analytic, ComputeBoundGemmEqualsTheCycleLevelRun) {
  // 4x4 OS pipelined, 8x8x16, ideal DRAM: F = 4 folds, T = 16: 16 + 2*16 + (16+4+4-2) = 70 cycles, and
  // the same MACs. (The estimate takes the estimate's schedule, the run the engine's fastest: here they
  // differ in tiles, so bytes and DMA counts may differ; the estimate's counts equal a program compiled
  // with its schedule, test_op_tally.cpp.)
  const ArchSpec arch = test::arch_from_text("cb", test::small_arch_yaml(), {"arch.dram.model=ideal"});
  const ModelSpec model = gemm("cb", 8, 8, 16);
  const SimulationResult run = run_simulation(arch, model);
  const SimulationResult est = estimate_model(arch, model, Estimator::roofline);
  EXPECT_EQ(run.cycles, 70u);
  EXPECT_EQ(est.cycles, 70u);
  EXPECT_EQ(est.counts.macs, run.counts.macs);
}

TEST(Analytic, MemoryTimeIsBytesOverBandwidth) {
  // A GEMV on the small arch at 1 GB/s = 1 B/cycle: the array needs about 256/4 folds x 256 = 16,384
  // cycles, DRAM at least 65,536 + 512 bytes = as many cycles: roofline = max(array, bytes / 1);
  // sequential adds them.
  const ArchSpec arch = test::arch_from_text("gemv", test::small_arch_yaml(), {"arch.dram.bandwidth_gbps=1"});
  const ModelSpec model = gemm("gemv", 1, 256, 256);
  const SimulationResult roof = estimate_model(arch, model, Estimator::roofline);
  const SimulationResult seq = estimate_model(arch, model, Estimator::sequential);
  const OpResult& o = roof.ops[0];
  const std::uint64_t bytes = o.dram_bytes;  // 256x256 int8 weights + 256 inputs + 256 outputs, at least
  EXPECT_GE(bytes, 256u * 256 + 256 + 256);
  const std::uint64_t memory = bytes;  // 1 byte per cycle
  EXPECT_EQ(o.bound, Bound::memory);
  EXPECT_EQ(o.cycles, memory);
  const std::uint64_t array = o.array_busy;  // one core
  EXPECT_EQ(seq.ops[0].cycles, memory + array);
}

// The sampled compile (first, second and last layer) gives every op the estimate the full compile gives.
void expect_sample_is_faithful(const ArchSpec& arch, const ModelSpec& model) {
  const OpGraph graph = lower(model);
  const LayerSample sample = sample_layers(graph);
  EXPECT_TRUE(sample.reduced);
  const SimulationResult full = estimate_program(arch, model, graph, compile(arch, model, graph, MapperChoice::estimate), Estimator::roofline);
  const SimulationResult fast = estimate_model(arch, model, Estimator::roofline);
  ASSERT_EQ(full.ops.size(), fast.ops.size());
  for (std::size_t i = 0; i < full.ops.size(); ++i) {
    const OpResult &a = full.ops[i], &b = fast.ops[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.note, b.note) << a.name;  // the tiling and core split
    EXPECT_EQ(a.cycles, b.cycles) << a.name;
    EXPECT_EQ(a.dram_bytes, b.dram_bytes) << a.name;
    EXPECT_EQ(a.global_bytes, b.global_bytes) << a.name;
    EXPECT_EQ(a.array_busy, b.array_busy) << a.name;
    EXPECT_EQ(a.counts.sram_read_bytes, b.counts.sram_read_bytes) << a.name;
  }
  EXPECT_EQ(full.cycles, fast.cycles);
}

TEST(LayerSample, BertBaseOnEveryShippedArch) {
  const ModelSpec bert = load_model(test::model_config("bert-base.yaml"));
  for (const char* a : {"edge_npu", "datacenter", "catransformers_baseline", "tpuv1", "simba_like"}) {
    SCOPED_TRACE(a);
    expect_sample_is_faithful(shipped(a), bert);
  }
}

TEST(LayerSample, Llama2PrefillOnDatacenter) {
  expect_sample_is_faithful(shipped("datacenter"), load_model(test::model_config("llama-2-7b-prefill.yaml")));
}

TEST(LayerSample, Llama3DecodeOnDatacenter) {
  expect_sample_is_faithful(shipped("datacenter"), load_model(test::model_config("llama-3-8b-decode.yaml")));
}

TEST(LayerSample, ClipTowersAreSampledSeparately) {
  expect_sample_is_faithful(shipped("datacenter"), load_model(test::model_config("clip-vit-b32.yaml")));
}

// Random small designs and models (4 to 7 layers): the sampled compile must give every op the full
// compile's tiling and estimate. Returns how many cases ran (a design too small for a model is a clean
// ConfigError, not a case).
int sample_sweep(unsigned seed, int cases) {
  std::mt19937 rng(seed);
  int ran = 0;
  for (int i = 0; i < cases; ++i) {
    const test::RandomDesign d = test::random_design(rng, true);
    const std::string& arch_text = d.arch;
    const std::string& model_text = d.model;
    SCOPED_TRACE("seed " + std::to_string(seed) + " case " + std::to_string(i) + ":\n" + arch_text + model_text);
    try {
      expect_sample_is_faithful(test::arch_from_text("rand", arch_text), load_model(test::write_file("rand.yaml", model_text)));
      ++ran;
    } catch (const ConfigError&) {
    }
    if (::testing::Test::HasFailure()) break;
  }
  return ran;
}

TEST(LayerSampleProperty, FixedSeeds) {
  for (unsigned seed : {1u, 2u, 3u}) EXPECT_GT(sample_sweep(seed, 25), 10) << "seed " << seed;
}

TEST(LayerSampleProperty, FreshSeed) {
  const unsigned seed = std::random_device{}();
  std::printf("LayerSampleProperty.FreshSeed: seed %u\n", seed);
  EXPECT_GT(sample_sweep(seed, 25), 10) << "seed " << seed;
}

TEST(LayerSample, ShortStacksAreCompiledWhole) {
  // 3 layers: first, second and last are all of them.
  const ModelSpec m = load_model(test::write_file(
      "short.yaml", "family: bert\nlayers: 3\nhidden: 64\nheads: 2\nffn: 128\nvocab: 100\nmax_positions: 32\n"
                    "workload: {seq_len: 16}\n"));
  const OpGraph g = lower(m);
  const LayerSample s = sample_layers(g);
  EXPECT_FALSE(s.reduced);
  EXPECT_EQ(s.graph.ops.size(), g.ops.size());
}

TEST(LayerSample, MiddleLayersMapToTheSecond) {
  const OpGraph g = lower(load_model(test::model_config("bert-base.yaml")));
  const LayerSample s = sample_layers(g);
  std::size_t per_layer = 0, outside = 0;
  for (const Op& op : g.ops) {
    if (op.layer == 0) ++per_layer;
    if (op.layer < 0) ++outside;
  }
  // 12 layers: the sample holds the ops outside the stack and 3 layers.
  EXPECT_EQ(s.graph.ops.size(), outside + 3 * per_layer);
  for (std::size_t i = 0; i < g.ops.size(); ++i) {
    const Op& rep = s.graph.ops[static_cast<std::size_t>(s.represent[i])];
    EXPECT_EQ(rep.shape(), g.ops[i].shape());
    if (g.ops[i].layer >= 2 && g.ops[i].layer <= 10) {
      EXPECT_EQ(rep.layer, 1);
    }
  }
}

}  // namespace
}  // namespace catsim
