// The operator graph, shape by shape, for BERT-base prefill and a Llama-3-8B decode step.

#include <gtest/gtest.h>

#include "tests/support/paths.h"
#include "workloads/model_parser.h"
#include "workloads/op_graph.h"

namespace catsim {
namespace {

const Op& find(const OpGraph& g, const std::string& name) {
  for (const auto& o : g.ops)
    if (o.name == name) return o;
  throw std::runtime_error("no op " + name);
}

void expect_gemm(const Op& o, std::int64_t m, std::int64_t k, std::int64_t n) {
  EXPECT_EQ(o.kind, OpKind::gemm) << o.name;
  EXPECT_EQ(o.m, m) << o.name;
  EXPECT_EQ(o.k, k) << o.name;
  EXPECT_EQ(o.n, n) << o.name;
  EXPECT_EQ(o.macs, std::uint64_t(m) * k * n) << o.name;
}

TEST(Lowering, BertBasePrefillLayerShapes) {
  OpGraph g = lower(load_model(test::model_config("bert-base.yaml")));
  for (int l : {0, 11}) {
    std::string p = "L" + std::to_string(l) + ".";
    expect_gemm(find(g, p + "attn.q_proj"), 128, 768, 768);
    expect_gemm(find(g, p + "attn.k_proj"), 128, 768, 768);
    expect_gemm(find(g, p + "attn.v_proj"), 128, 768, 768);
    expect_gemm(find(g, p + "attn.o_proj"), 128, 768, 768);
    expect_gemm(find(g, p + "ffn.up"), 128, 768, 3072);
    expect_gemm(find(g, p + "ffn.down"), 128, 3072, 768);
    const Op& qk = find(g, p + "attn.qk");  // 12 heads x (128x64 * 64x128)
    EXPECT_EQ(qk.kind, OpKind::batched_matmul);
    EXPECT_EQ(qk.count, 12);
    EXPECT_EQ(qk.m, 128);
    EXPECT_EQ(qk.k, 64);
    EXPECT_EQ(qk.n, 128);
    const Op& av = find(g, p + "attn.av");  // 12 x (128x128 * 128x64)
    EXPECT_EQ(av.count, 12);
    EXPECT_EQ(av.k, 128);
    EXPECT_EQ(av.n, 64);
    const Op& sm = find(g, p + "attn.softmax");  // 12*128 rows of 128
    EXPECT_EQ(sm.kind, OpKind::softmax);
    EXPECT_EQ(sm.m, 12 * 128);
    EXPECT_EQ(sm.n, 128);
    EXPECT_EQ(find(g, p + "ffn.act").kind, OpKind::activation);
    EXPECT_EQ(find(g, p + "attn.norm").kind, OpKind::layernorm);
  }
  expect_gemm(find(g, "pooler.dense"), 1, 768, 768);
  EXPECT_EQ(g.kv_cache_bytes, 0u);  // an encoder keeps no KV cache
  // 12 layers x 14 ops + 4 embedding ops + pooler dense + tanh = 174
  EXPECT_EQ(g.ops.size(), 174u);
  // per layer 4*128*768*768 + 2*128*768*3072 + 2*12*128*64*128 = 931,135,488; x12 + pooler 768*768
  EXPECT_EQ(g.total_macs(), 12ull * 931'135'488 + 589'824);
}

TEST(Lowering, Int8BytesAreOneByteAndInt4Packs) {
  OpGraph g8 = lower(load_model(test::model_config("bert-base.yaml")));
  EXPECT_EQ(find(g8, "L0.ffn.up").b_bytes, 768u * 3072);  // INT8: one byte per weight
  OpGraph g4 = lower(load_model(test::model_config("bert-base.yaml"), parse_overrides({"model.precision.weights=int4"})));
  EXPECT_EQ(find(g4, "L0.ffn.up").b_bytes, 768u * 3072 / 2);  // INT4: two weights per byte
}

TEST(Lowering, Llama3DecodeStepShapes) {
  OpGraph g = lower(load_model(test::model_config("llama-3-8b-decode.yaml")));
  expect_gemm(find(g, "L0.attn.q_proj"), 1, 4096, 4096);
  expect_gemm(find(g, "L0.attn.k_proj"), 1, 4096, 1024);  // 8 KV heads x 128
  expect_gemm(find(g, "L0.attn.v_proj"), 1, 4096, 1024);
  expect_gemm(find(g, "L0.attn.o_proj"), 1, 4096, 4096);
  expect_gemm(find(g, "L31.ffn.gate"), 1, 4096, 14336);
  expect_gemm(find(g, "L31.ffn.up"), 1, 4096, 14336);
  expect_gemm(find(g, "L31.ffn.down"), 1, 14336, 4096);
  const Op& qk = find(g, "L0.attn.qk");  // 32 heads x (1x128 * 128x4096)
  EXPECT_EQ(qk.count, 32);
  EXPECT_EQ(qk.m, 1);
  EXPECT_EQ(qk.k, 128);
  EXPECT_EQ(qk.n, 4096);
  EXPECT_EQ(qk.b_count, 8);  // the 8 KV heads are shared by groups of 4 query heads
  EXPECT_EQ(qk.b_prec, Precision::fp16);
  const Op& rd = find(g, "L0.attn.kv_read");  // 4096 tokens x (K and V of 1024) x 2 bytes
  EXPECT_EQ(rd.kind, OpKind::kv_read);
  EXPECT_EQ(rd.bytes_read(), 4096u * 2 * 1024 * 2);
  const Op& wr = find(g, "L0.attn.kv_write");  // one token appended
  EXPECT_EQ(wr.bytes_written(), 1u * 2 * 1024 * 2);
  EXPECT_EQ(find(g, "L0.ffn.act").act, Activation::silu);
  EXPECT_EQ(find(g, "L0.attn.norm").kind, OpKind::rmsnorm);
  expect_gemm(find(g, "lm_head"), 1, 4096, 128256);
  // 32 layers x 4096 tokens x 2 x 1024 x 2 bytes = 512 MiB
  EXPECT_EQ(g.kv_cache_bytes, 32ull * 4096 * 2 * 1024 * 2);
}

TEST(Lowering, VitUsesPatchTokens) {
  OpGraph g = lower(load_model(test::model_config("vit-base.yaml")));
  expect_gemm(find(g, "embed.patch"), 196, 3 * 16 * 16, 768);  // 14x14 patches
  expect_gemm(find(g, "L0.attn.q_proj"), 197, 768, 768);        // + CLS token
}

TEST(Lowering, ClipHasTwoTowersAndProjections) {
  OpGraph g = lower(load_model(test::model_config("clip-vit-b32.yaml")));
  expect_gemm(find(g, "text.L0.attn.q_proj"), 77, 512, 512);
  expect_gemm(find(g, "vision.L0.attn.q_proj"), 50, 768, 768);  // 7x7 patches + CLS
  expect_gemm(find(g, "text_projection"), 1, 512, 512);
  expect_gemm(find(g, "visual_projection"), 1, 768, 512);
}

TEST(Lowering, GemmListKeepsOrder) {
  OpGraph g = lower(load_model(test::model_config("gemms-vit-mlp.yaml")));
  ASSERT_EQ(g.ops.size(), 4u);
  expect_gemm(g.ops[2], 197, 768, 3072);
}

}  // namespace
}  // namespace catsim
