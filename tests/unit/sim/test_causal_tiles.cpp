// Causal attention: which tiles the compiler skips (tile_spans.h), counted by hand on small grids, and
// whole runs where QK^T and AV skip all-masked tiles while every command still agrees with the PE model.

#include <gtest/gtest.h>

#include "sim/compile/tile_spans.h"
#include "sim/pe/detail_run.h"
#include "sim/run/simulation.h"
#include "tests/support/arch_text.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

GemmMapping grid(std::int64_t t1, std::int64_t t2, std::int64_t ts, RoleSizes s) {
  GemmMapping g;
  g.t1 = t1, g.t2 = t2, g.ts = ts;
  g.n1 = (s.p1 + t1 - 1) / t1, g.n2 = (s.p2 + t2 - 1) / t2, g.ns = (s.s + ts - 1) / ts;
  return g;
}

TEST(TileSpans, OsScoresSkipTilesAboveTheDiagonal) {
  // QK^T under OS: P1 = 64 queries, P2 = 64 keys, S = head dim 8, 16x16 tiles. Tile (i1, i2) holds keys
  // from 16*i2 and queries up to 16*i1 + 15: all masked iff i2 > i1, i.e. 3 + 2 + 1 = 6 of 16 tiles.
  const RoleSizes s{64, 64, 8};
  const TileSpans spans(Dataflow::os, grid(16, 16, 8, s), s, {CausalKeys::n, 64, 0, 0, 0});
  EXPECT_EQ(spans.skipped(), 6);
  EXPECT_TRUE(spans.span(0, 1).empty());
  EXPECT_FALSE(spans.span(1, 1).empty());
  // Two cached tokens: queries see two more keys, tile (i1, i1 + 1) now holds an unmasked product.
  const TileSpans cached(Dataflow::os, grid(16, 16, 8, s), s, {CausalKeys::n, 64, 2, 0, 0});
  EXPECT_EQ(cached.skipped(), 3);  // only i2 >= i1 + 2: 2 + 1
}

TEST(TileSpans, OsValuesTrimTheStreamAfterTheLastQuery) {
  // AV under OS: P1 = 64 queries (16 per tile), P2 = head dim 8, S = 64 keys in chunks of 16. Chunk c
  // holds keys from 16c: masked for tile i1 iff c > i1, so tile i1 runs chunks [0, i1]: 3 + 2 + 1 skipped.
  const RoleSizes s{64, 8, 64};
  const TileSpans spans(Dataflow::os, grid(16, 8, 16, s), s, {CausalKeys::k, 64, 0, 0, 0});
  EXPECT_EQ(spans.skipped(), 6);
  for (std::int64_t i1 = 0; i1 < 4; ++i1) {
    EXPECT_EQ(spans.span(i1, 0).first, 0);
    EXPECT_EQ(spans.span(i1, 0).last, i1);
  }
}

TEST(TileSpans, StackedQueriesOnTheStreamRunInteriorMaskedChunks) {
  // QK^T under WS with two stacked heads of 32 queries: P1 = head dim 8, P2 = 32 keys (8 per tile), S = 64
  // rows in chunks of 16 holding queries 0-15, 16-31, 0-15, 16-31. Key tiles from 16 on mask chunks 0 and
  // 2; chunk 2 lies between live chunks, so it runs: spans [1, 3], one chunk skipped per tile.
  const RoleSizes s{8, 32, 64};
  const TileSpans spans(Dataflow::ws, grid(8, 8, 16, s), s, {CausalKeys::n, 32, 0, 0, 0});
  EXPECT_EQ(spans.skipped(), 2);
  EXPECT_EQ(spans.span(0, 2).first, 1);
  EXPECT_EQ(spans.span(0, 2).last, 3);
  EXPECT_EQ(spans.span(0, 1).first, 0);
}

TEST(TileSpans, WsValuesEndEachChunkOnItsLastLiveKeyTile) {
  // AV under WS: P1 = 32 keys (8 per tile), P2 = head dim 8, S = 32 queries in chunks of 8. Key tile i1
  // is masked for chunk c iff 8*i1 > 8c + 7, i.e. c < i1: tile i1 runs chunks [i1, 3] (0 + 1 + 2 + 3
  // skipped), and chunk c's partial sums end in key tile c.
  const RoleSizes s{32, 8, 32};
  const TileSpans spans(Dataflow::ws, grid(8, 8, 8, s), s, {CausalKeys::k, 32, 0, 0, 0});
  EXPECT_EQ(spans.skipped(), 6);
  for (std::int64_t c = 0; c < 4; ++c)
    for (std::int64_t i1 = 0; i1 <= c; ++i1) EXPECT_EQ(spans.last_k(i1, 0, c), i1 == c) << i1 << " " << c;
}

TEST(TileSpans, ShareOriginShiftsTheMask) {
  // The same 16-query share as rows 48-63 of the whole GEMM: it sees keys up to 63, so nothing is masked
  // in its 4 key tiles of 16 (keys 0-63); as rows 0-15 it sees key 15 at most: 3 tiles skipped.
  const RoleSizes s{16, 64, 8};
  EXPECT_EQ(TileSpans(Dataflow::os, grid(16, 16, 8, s), s, {CausalKeys::n, 64, 0, 48, 0}).skipped(), 0);
  EXPECT_EQ(TileSpans(Dataflow::os, grid(16, 16, 8, s), s, {CausalKeys::n, 64, 0, 0, 0}).skipped(), 3);
}

TEST(TileSpans, LiveFractionCountsBlocksBelowTheDiagonal) {
  // The mapper's measure on the OS QK^T grid above: 10 of 16 blocks live. With stacked heads of 32 queries
  // and 16-row tiles the blocks repeat per head: per head 1 + 2 of 2 x 4 key blocks (keys 0-63 in 16s,
  // queries up to 15 and 31): (1 + 2) / (2 x 4) = 3/8.
  const RoleSizes s{64, 64, 8};
  EXPECT_DOUBLE_EQ(causal_live_fraction(Dataflow::os, grid(16, 16, 8, s), s, {CausalKeys::n, 64, 0, 0, 0}), 10.0 / 16);
  EXPECT_DOUBLE_EQ(causal_live_fraction(Dataflow::os, grid(16, 16, 8, s), s, {CausalKeys::n, 32, 0, 0, 0}), 3.0 / 8);
}

ModelSpec tiny_llama(const std::string& workload) {
  return load_model(test::write_file("tiny_llama.yaml", "family: llama\nlayers: 1\nhidden: 64\nheads: 4\nkv_heads: 2\n"
                                                        "ffn: 128\nvocab: 100\nmax_positions: 256\nworkload: " +
                                                            workload + "\n"));
}

TEST(CausalRuns, PrefillSkipsMaskedTilesAndSaysSo) {
  // 4 heads x 64 queries x 64 keys x head dim 16: 262,144 MACs each for QK^T and AV in full; the products
  // the mask keeps are 4 x 16 x (1 + ... + 64) = 133,120, a floor no tiling can go below.
  const ArchSpec arch = test::arch_from_text("causal", test::small_arch_yaml(), {"arch.sram.kib=4"});
  const SimulationResult r = run_simulation(arch, tiny_llama("{seq_len: 64}"));
  int seen = 0;
  for (const OpResult& o : r.ops) {
    if (o.name != "L0.attn.qk" && o.name != "L0.attn.av") continue;
    ++seen;
    EXPECT_NE(o.note.find("skipped (causal mask)"), std::string::npos) << o.name << ": " << o.note;
    EXPECT_LT(o.macs, 262'144u) << o.name;
    EXPECT_GE(o.macs, 133'120u) << o.name;
  }
  EXPECT_EQ(seen, 2);
}

TEST(CausalRuns, DecodeSeesEveryKey) {
  // One new token after 63 cached ones sees all 64 keys: nothing to skip, every MAC runs (4 x 64 x 16).
  const ArchSpec arch = test::arch_from_text("decode", test::small_arch_yaml(), {"arch.sram.kib=4"});
  const SimulationResult r = run_simulation(arch, tiny_llama("{phase: decode, kv_len: 64}"));
  for (const OpResult& o : r.ops)
    if (o.name == "L0.attn.qk" || o.name == "L0.attn.av") {
      EXPECT_EQ(o.note.find("skipped"), std::string::npos) << o.name << ": " << o.note;
      EXPECT_EQ(o.macs, 4u * 64 * 16) << o.name;
    }
}

TEST(CausalRuns, PeReplayRunsTheSameTiles) {
  // Every dataflow and timing, a tight and a roomy scratchpad, 2 cores: the replay skips the tiles the
  // compiler skipped (zero probabilities in AV's masked entries; QK^T's masked scores are not compared).
  for (const char* df : {"os", "ws", "is"})
    for (const char* timing : {"pipelined", "scalesim"})
      for (const char* kib : {"1", "64"}) {
        const ArchSpec arch = test::arch_from_text(
            "replay", test::small_arch_yaml(),
            {"arch.cores=2", std::string("arch.sram.kib=") + kib, std::string("arch.systolic.dataflow=") + df,
             std::string("arch.systolic.timing=") + timing});
        const std::string what = std::string(df) + " " + timing + " " + kib + " KiB";
        const auto rows = run_pe_detail(arch, tiny_llama("{seq_len: 40}"), "");
        int attention = 0;
        for (const PeDetailRow& r : rows) {
          EXPECT_TRUE(r.agrees()) << what << " " << r.op << " core " << r.core;
          attention += r.op == "L0.attn.qk" || r.op == "L0.attn.av" ? 1 : 0;
        }
        EXPECT_GT(attention, 0) << what;
      }
}

TEST(CausalRuns, MacsAreWhatTheArrayRan) {
  // Without a mask every tile runs: the ops' MACs add up to the graph's.
  const ArchSpec arch = test::arch_from_text("bert", test::small_arch_yaml(), {"arch.sram.kib=4"});
  const ModelSpec bert = load_model(test::write_file("bert_macs.yaml", "family: bert\nlayers: 1\nhidden: 64\nheads: 2\n"
                                                                       "ffn: 128\nvocab: 100\nmax_positions: 64\n"
                                                                       "workload: {seq_len: 24}\n"));
  const SimulationResult r = run_simulation(arch, bert);
  std::uint64_t macs = 0;
  for (const OpResult& o : r.ops) macs += o.macs;
  EXPECT_EQ(macs, lower(bert).total_macs());
}

}  // namespace
}  // namespace catsim
