// Exact parameter counts against HuggingFace (shared/reference/hf/README.md) and hand-derived pruned counts.

#include <gtest/gtest.h>

#include "tests/support/paths.h"
#include "workloads/model_parser.h"
#include "workloads/parameters.h"

namespace catsim {
namespace {

std::int64_t params_of(const std::string& file, const std::vector<std::string>& sets = {}) {
  return count_parameters(load_model(file, parse_overrides(sets))).total();
}

TEST(Parameters, BertBaseMatchesBertModelWithPooler) {
  EXPECT_EQ(params_of(test::model_config("hf/bert-base-uncased.json")), 109'482'240);
}

TEST(Parameters, VitBaseMatchesViTModelWithPooler) {
  EXPECT_EQ(params_of(test::model_config("hf/vit-base-patch16-224.json")), 86'389'248);
}

TEST(Parameters, Llama2MatchesLlamaForCausalLM) {
  EXPECT_EQ(params_of(test::model_config("hf/llama-2-7b-hf.json")), 6'738'415'616);
}

TEST(Parameters, Llama3MatchesLlamaForCausalLMWithGqa) {
  EXPECT_EQ(params_of(test::model_config("hf/meta-llama-3-8b.json")), 8'030'261'248);
}

TEST(Parameters, ClipMatchesCLIPModel) {
  EXPECT_EQ(params_of(test::model_config("hf/clip-vit-base-patch32.json")), 151'277'313);
}

TEST(Parameters, BertComponentsAddUp) {
  ParameterCount pc = count_parameters(load_model(test::model_config("hf/bert-base-uncased.json")));
  std::map<std::string, std::int64_t> c;
  for (const auto& x : pc.components) c[x.name] = x.count;
  // words 30522*768 + positions 512*768 + types 2*768 + LayerNorm 2*768 = 23,837,184
  EXPECT_EQ(c["embeddings"], 23'837'184);
  // 12 * 4 * (768*768 + 768) = 28,348,416
  EXPECT_EQ(c["layers.attention"], 28'348'416);
  // pooler 768*768 + 768 = 590,592
  EXPECT_EQ(c["pooler"], 590'592);
}

TEST(Parameters, TiedEmbeddingsDropLmHead) {
  // Llama-2-7B minus its untied lm_head (32000 * 4096 = 131,072,000).
  EXPECT_EQ(params_of(test::model_config("hf/llama-2-7b-hf.json"), {"model.tie_embeddings=true"}),
            6'738'415'616 - 131'072'000);
}

TEST(Parameters, PrunedBert) {
  // hidden 512, 8 heads of 64, FFN 2048, 8 layers:
  // embeddings 30522*512 + 512*512 + 2*512 + 2*512 = 15,891,456
  // layer 4*(512*512+512) + (512*2048+2048 + 2048*512+512) + 2*2*512 = 3,152,384; x8 = 25,219,072
  // pooler 512*512+512 = 262,656  -> 41,373,184
  EXPECT_EQ(params_of(test::model_config("bert-pruned.yaml")), 41'373'184);
}

TEST(Parameters, PrunedLlama3KeepsGqaGroup) {
  // 16 layers, 16 heads -> kv_heads 16/4 = 4 (group of 4 kept), FFN 8192, hidden 4096, head_dim 128:
  // layer q 4096*2048 + k,v 2*4096*512 + o 2048*4096 + 3*4096*8192 + 2*4096 = 121,643,008; x16 = 1,946,288,128
  // embed + lm_head 2*128256*4096 = 1,050,673,152; final norm 4096 -> 2,996,965,376
  EXPECT_EQ(params_of(test::model_config("hf/meta-llama-3-8b.json"),
                      {"model.pruning.layers=16", "model.pruning.heads=16", "model.pruning.ffn=8192"}),
            2'996'965'376);
}

TEST(Parameters, PrunedClipPerTower) {
  // text: 6 layers, 4 heads (attn 256), FFN 1024 -> 49408*512 + 77*512 + 6*1,577,728 + 1024 = 34,803,712
  // vision: 8 layers, hidden 512 (12 heads of 64 -> attn 768) -> 1,600,000 + 8*4,727,040 + 1024 = 39,417,344
  // projections 512*512 + 512*512 + logit scale 1 -> 74,745,345
  EXPECT_EQ(params_of(test::model_config("hf/clip-vit-base-patch32.json"),
                      {"model.pruning.text.layers=6", "model.pruning.text.heads=4", "model.pruning.text.ffn=1024",
                       "model.pruning.vision.layers=8", "model.pruning.vision.hidden=512"}),
            74'745'345);
}

TEST(Parameters, PrunedVit) {
  // hidden 384, 6 heads of 64, FFN 1536, 6 layers:
  // patch 3*16*16*384 + 384, cls 384, positions 197*384, 6 layers, final LN 768, pooler 384*384+384 = 11,166,720
  EXPECT_EQ(params_of(test::model_config("hf/vit-base-patch16-224.json"),
                      {"model.pruning.layers=6", "model.pruning.heads=6", "model.pruning.ffn=1536",
                       "model.pruning.hidden=384"}),
            11'166'720);
}

}  // namespace
}  // namespace catsim
