// The closed-form tally (sim/analytic/op_tally.h) against the compiled program: op by op, every count the
// estimators and the energy model read must be the one the emitted commands add up to.

#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "arch/config/error.h"
#include "sim/analytic/op_tally.h"
#include "sim/compile/compiler.h"
#include "tests/support/arch_text.h"
#include "tests/support/paths.h"
#include "tests/support/random_designs.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

void expect_same_sram(const SramTraffic& a, const SramTraffic& b, const std::string& op) {
  EXPECT_EQ(a.ifmap_read, b.ifmap_read) << op;
  EXPECT_EQ(a.ifmap_write, b.ifmap_write) << op;
  EXPECT_EQ(a.weight_read, b.weight_read) << op;
  EXPECT_EQ(a.weight_write, b.weight_write) << op;
  EXPECT_EQ(a.ofmap_read, b.ofmap_read) << op;
  EXPECT_EQ(a.ofmap_write, b.ofmap_write) << op;
  EXPECT_EQ(a.vector_read, b.vector_read) << op;
  EXPECT_EQ(a.vector_write, b.vector_write) << op;
  EXPECT_EQ(a.global_read, b.global_read) << op;
  EXPECT_EQ(a.global_write, b.global_write) << op;
}

// Compiles the whole graph and tallies it both ways, the schedules chosen by `choice` in both. Returns
// whether the design compiled.
bool expect_tally_is_the_program(const ArchSpec& arch, const ModelSpec& model,
                                 MapperChoice choice = MapperChoice::estimate) {
  const OpGraph graph = lower(model);
  Program program;
  try {
    program = compile(arch, model, graph, choice);
  } catch (const ConfigError&) {
    EXPECT_THROW(tally_graph(arch, model, graph, choice), ConfigError);  // the same inputs are refused
    return false;
  }
  const std::vector<OpTally> want = tally_program(program, graph.ops.size());
  const GraphTally got = tally_graph(arch, model, graph, choice);
  EXPECT_EQ(got.ops.size(), want.size());
  EXPECT_EQ(got.plans.size(), program.ops.size());
  for (std::size_t i = 0; i < want.size() && i < got.ops.size(); ++i) {
    const std::string& op = graph.ops[i].name;
    const OpTally &a = want[i], &b = got.ops[i];
    EXPECT_EQ(a.array, b.array) << op;  // busy cycles per core: the share's fold chain
    EXPECT_EQ(a.vector, b.vector) << op;
    EXPECT_EQ(a.dram_read, b.dram_read) << op;
    EXPECT_EQ(a.dram_write, b.dram_write) << op;
    EXPECT_EQ(a.global_read, b.global_read) << op;
    EXPECT_EQ(a.global_write, b.global_write) << op;
    EXPECT_EQ(a.dma, b.dma) << op;
    EXPECT_EQ(a.macs, b.macs) << op;
    const OpPlan &p = program.ops[i], &q = got.plans[i];
    EXPECT_EQ(p.note, q.note) << op;
    EXPECT_EQ(p.tiles, q.tiles) << op;
    EXPECT_EQ(p.skipped_tiles, q.skipped_tiles) << op;
    EXPECT_EQ(p.compulsory_dram_bytes, q.compulsory_dram_bytes) << op;
    EXPECT_EQ(p.output_in_global_buffer, q.output_in_global_buffer) << op;
    EXPECT_EQ(p.vector_ops, q.vector_ops) << op;
    EXPECT_EQ(p.compute, q.compute) << op;
    expect_same_sram(p.sram, q.sram, op);
    EXPECT_EQ(p.cores.size(), q.cores.size()) << op;
    for (std::size_t c = 0; c < p.cores.size() && c < q.cores.size(); ++c) {
      const GemmShare &s = p.cores[c].share, &t = q.cores[c].share;
      EXPECT_TRUE(s.inst0 == t.inst0 && s.inst1 == t.inst1 && s.m0 == t.m0 && s.m1 == t.m1 && s.n0 == t.n0 &&
                  s.n1 == t.n1 && s.k0 == t.k0 && s.k1 == t.k1)
          << op << " core " << c;
    }
    if (::testing::Test::HasFailure()) break;
  }
  return true;
}

int tally_sweep(unsigned seed, int cases) {
  std::mt19937 rng(seed);
  int ran = 0;
  for (int i = 0; i < cases && !::testing::Test::HasFailure(); ++i) {
    const test::RandomDesign d = test::random_design(rng, false);
    SCOPED_TRACE("seed " + std::to_string(seed) + " case " + std::to_string(i) + ":\n" + d.arch + d.model);
    ran += expect_tally_is_the_program(test::arch_from_text("rand", d.arch),
                                       load_model(test::write_file("rand.yaml", d.model)));
  }
  return ran;
}

TEST(OpTally, ShippedDesigns) {
  const std::pair<const char*, const char*> pairs[] = {{"edge_npu", "bert-base"},
                                                       {"catransformers_baseline", "clip-vit-b32"},
                                                       {"simba_like", "vit-base"},
                                                       {"tpuv1", "gemm-bert-proj"},
                                                       {"datacenter", "llama-3-8b-decode"}};
  for (const auto& [arch, model] : pairs)
    for (MapperChoice choice : {MapperChoice::estimate, MapperChoice::engine_time}) {
      SCOPED_TRACE(std::string(arch) + " x " + model + (choice == MapperChoice::estimate ? "" : ", engine time"));
      EXPECT_TRUE(expect_tally_is_the_program(
          test::arch_from_text(arch, test::slurp(test::arch_config(std::string(arch) + ".yaml"))),
          load_model(test::model_config(std::string(model) + ".yaml")), choice));
    }
}

TEST(OpTally, KSplitAndStagingOnDatacenter) {
  // 128 x 128 x 65536 on 4 cores: K over 4 cores, partial sums reduced through the global buffer.
  const ModelSpec model =
      load_model(test::write_file("ksplit.yaml", "kind: gemm\nm: 128\nn: 128\nk: 65536\n"));
  const ArchSpec arch = test::arch_from_text("datacenter", test::slurp(test::arch_config("datacenter.yaml")));
  ASSERT_TRUE(expect_tally_is_the_program(arch, model));
  const GraphTally t = tally_graph(arch, model, lower(model));
  EXPECT_NE(t.plans[0].note.find("K over"), std::string::npos) << t.plans[0].note;
}

TEST(OpTallyProperty, FixedSeeds) {
  for (unsigned seed : {1u, 2u, 3u, 4u}) EXPECT_GT(tally_sweep(seed, 30), 15) << "seed " << seed;
}

TEST(OpTallyProperty, FreshSeed) {
  const unsigned seed = std::random_device{}();
  std::printf("OpTallyProperty.FreshSeed: seed %u\n", seed);
  EXPECT_GT(tally_sweep(seed, 30), 15) << "seed " << seed;
}

}  // namespace
}  // namespace catsim

namespace catsim {
namespace {

TEST(OpTally, AnOpBeyondTheCommandLimitIsRefusedAsTheCompilerRefusesIt) {
  // 2048^3 INT8 on a 4x4 array with 4 KiB: more than 4 M / 6 tile steps in one op. Before the limit was
  // applied to the tally, 16384^3 on this arch walked for 20 s.
  const ArchSpec arch = test::arch_from_text("tiny", test::small_arch_yaml(), {"arch.sram.kib=4"});
  const ModelSpec model =
      load_model(test::write_file("huge.yaml", "kind: gemm\nm: 2048\nn: 2048\nk: 2048\n"));
  const OpGraph graph = lower(model);
  try {
    tally_graph(arch, model, graph);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("exceeds 4000000 tile commands"), std::string::npos) << e.what();
  }
  EXPECT_THROW(compile(arch, model, graph), ConfigError);
}

}  // namespace
}  // namespace catsim
