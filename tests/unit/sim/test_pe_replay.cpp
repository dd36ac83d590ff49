// The PE-level replay of compiled programs (sim/pe/detail_run.h) over random arrays, shapes, dataflows,
// timings, precisions, scratchpad sizes and core counts: every array command the compiler emits must end
// in the cycle the PE model reaches, and the outputs must equal a reference GEMM. Each run draws a fresh
// seed (printed on failure) beside fixed regression seeds.

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "arch/config/error.h"
#include "sim/pe/detail_run.h"
#include "tests/support/arch_text.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

struct ReplayDraw {
  std::string arch, model, what;
};

ReplayDraw draw_replay(std::mt19937& rng, int i) {
  auto pick = [&](auto... xs) {
    const std::string v[] = {xs...};
    return v[rng() % sizeof...(xs)];
  };
  const int rows = 1 + static_cast<int>(rng() % 8), cols = 1 + static_cast<int>(rng() % 8);
  const std::string df = pick("os", "ws", "is"), timing = pick("pipelined", "scalesim");
  const std::string fp16 = pick("0.5", "0.25", "1"), kib = pick("1", "2", "4", "16", "256");
  const int cores = 1 + static_cast<int>(rng() % 4);
  ReplayDraw d;
  d.arch = "name: r\nclock_mhz: 1000\ncores: " + std::to_string(cores) + "\nsystolic: {rows: " + std::to_string(rows) +
           ", cols: " + std::to_string(cols) + ", dataflow: " + df + ", timing: " + timing +
           ", precisions: {int8: 1, int4: 2, fp16: " + fp16 + "}}\nvector: {lanes: 8, pipeline_latency: 2}\n"
           "sram: {kib: " + kib + ", bytes_per_cycle: 64}\n"
           "dram: {type: lpddr4, bandwidth_gbps: 16, latency_ns: 10, channels: 1, capacity_gib: 1}\n"
           "technology: {node_nm: 22}\n";
  const std::string prec = pick("int8", "int4", "fp16");
  if (rng() % 4 == 0) {
    d.model = "family: bert\nlayers: 1\nhidden: 16\nheads: 2\nffn: 24\nvocab: 10\nmax_positions: 16\nprecision: " +
              prec + "\nworkload: {seq_len: " + std::to_string(1 + rng() % 12) + "}\n";
  } else {
    d.model = "kind: gemm\nprecision: " + prec + "\nm: " + std::to_string(1 + rng() % 40) + "\nn: " +
              std::to_string(1 + rng() % 40) + "\nk: " + std::to_string(1 + rng() % 40) + "\n";
  }
  d.what = "case " + std::to_string(i) + ": " + std::to_string(rows) + "x" + std::to_string(cols) + " " + df + " " +
           timing + " fp16 rate " + fp16 + ", " + kib + " KiB, " + std::to_string(cores) + " core(s), " + d.model;
  return d;
}

// Returns how many cases ran (a scratchpad too small for the shape is a clean ConfigError, not a case).
int replay_sweep(unsigned seed, int cases) {
  std::mt19937 rng(seed);
  int ran = 0;
  for (int i = 0; i < cases; ++i) {
    const ReplayDraw d = draw_replay(rng, i);
    std::vector<PeDetailRow> rows;
    try {
      const ArchSpec arch = test::arch_from_text("replay", d.arch);
      rows = run_pe_detail(arch, load_model(test::write_file("replay_model.yaml", d.model)), "");
    } catch (const ConfigError& e) {
      const std::string why = e.what();
      EXPECT_NE(why.find("cannot fit"), std::string::npos) << "seed " << seed << " " << d.what << ": " << why;
      continue;
    }
    ++ran;
    for (const PeDetailRow& r : rows) {
      EXPECT_EQ(r.pe_cycles, r.engine_cycles) << "seed " << seed << " " << d.what << " op " << r.op;
      EXPECT_EQ(r.commands_matching, r.commands) << "seed " << seed << " " << d.what << " op " << r.op;
      EXPECT_TRUE(r.outputs_match) << "seed " << seed << " " << d.what << " op " << r.op;
      if (r.instances == 1) {  // several instances are stacked with zero padding between them, which counts too
        EXPECT_EQ(r.useful_macs, std::uint64_t(r.m) * r.n * r.k) << "seed " << seed << " " << d.what;
      }
    }
  }
  return ran;
}

TEST(PeReplayProperty, FixedSeeds) {
  int ran = 0;
  // 1043300761: a fresh seed that found two-instance shares of part-array folds under packed int4 (case 47:
  // BERT attention's AV, WS on 5 x 3) replayed with their folds misplaced.
  for (unsigned seed : {11u, 12u, 13u, 1043300761u}) ran += replay_sweep(seed, 60);
  EXPECT_GT(ran, 100);  // most draws fit; the rest must fail cleanly
}

TEST(PeReplayProperty, FreshSeed) {
  const unsigned seed = std::random_device{}();
  std::printf("PeReplayProperty.FreshSeed: seed %u\n", seed);
  EXPECT_GT(replay_sweep(seed, 60), 20) << "seed " << seed;
}

TEST(PeReplay, IdenticalSharesRunOnce) {
  // BERT-like stack of two identical layers on 2 cores: the second layer's shares reuse the first's runs.
  const ArchSpec arch = test::arch_from_text("twice", test::small_arch_yaml(), {"arch.cores=2"});
  const auto rows = run_pe_detail(
      arch,
      load_model(test::write_file("two_layers.yaml", "family: bert\nlayers: 2\nhidden: 16\nheads: 2\nffn: 24\n"
                                                     "vocab: 10\nmax_positions: 16\nworkload: {seq_len: 8}\n")),
      "");
  int reused = 0;
  for (const auto& r : rows) {
    EXPECT_TRUE(r.agrees()) << r.op;
    reused += r.reused && r.op.rfind("L1.", 0) == 0 ? 1 : 0;
  }
  EXPECT_GT(reused, 0);
}

TEST(PeReplay, KSplitShares) {
  // 4x4x600 on a 4x4 array and 4 cores, ideal DRAM: one fold of output, so the compiler splits K (150 per
  // core, or whole row folds where K lies on the array) and reduces the partial sums; each core's share must still agree with the PE model, in every
  // dataflow and timing.
  for (const char* df : {"os", "ws", "is"})
    for (const char* timing : {"pipelined", "scalesim"}) {
      const ArchSpec arch = test::arch_from_text(
          "ksplit", test::small_arch_yaml(),
          {"arch.cores=4", "arch.dram.model=ideal", std::string("arch.systolic.dataflow=") + df, std::string("arch.systolic.timing=") + timing});
      const ModelSpec model = load_model(test::write_file("ksplit.yaml", "kind: gemm\nm: 4\nn: 4\nk: 600\n"));
      const auto rows = run_pe_detail(arch, model, "");
      ASSERT_EQ(rows.size(), 4u) << df << " " << timing;  // one row per core share
      std::int64_t k = 0;
      for (const auto& r : rows) {
        EXPECT_TRUE(r.agrees()) << df << " " << timing << " core " << r.core;
        k += r.k;
      }
      // OS streams K: 150 each; WS/IS lay K on the rows: 150 folds of 4 over 4 cores, 37 or 38 folds each.
      EXPECT_EQ(k, 600) << df << " " << timing;
    }
}

}  // namespace
}  // namespace catsim
