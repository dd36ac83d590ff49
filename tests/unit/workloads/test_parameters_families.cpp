// Parameter counts of the supported families without a shipped reference config, from their public
// config.json values, with the arithmetic written out (HuggingFace's conventions, as for the others).

#include <gtest/gtest.h>

#include "tests/support/run_catsim.h"
#include "workloads/model_parser.h"
#include "workloads/parameters.h"

namespace catsim {
namespace {

std::int64_t params_of_json(const std::string& name, const std::string& json) {
  return count_parameters(load_model(test::write_file(name + ".json", json))).total();
}

TEST(ParametersFamilies, Qwen2HasQkvBiasesAndTiedEmbeddings) {
  // Qwen/Qwen2-0.5B: hidden 896, 24 layers, 14 heads of 64, 2 KV heads, FFN 4864, vocab 151936, tied.
  // embed 151936*896 = 136,134,656 (the LM head shares it)
  // layer: q 896*896+896 + k,v 2*(896*128+128) + o 896*896 (no bias) = 1,836,160;
  //        gate/up/down 3*896*4864 = 13,074,432; two RMSNorms 1,792 -> 14,912,384; x24 = 357,897,216
  // final norm 896 -> 494,032,768
  EXPECT_EQ(params_of_json("qwen2", R"({"model_type": "qwen2", "hidden_size": 896, "num_hidden_layers": 24,
      "num_attention_heads": 14, "num_key_value_heads": 2, "intermediate_size": 4864, "vocab_size": 151936,
      "max_position_embeddings": 32768, "tie_word_embeddings": true, "hidden_act": "silu"})"),
            494'032'768);
}

TEST(ParametersFamilies, RobertaBaseWithPooler) {
  // roberta-base: words 50265*768 + positions 514*768 + one token type 768 + LayerNorm 1,536 = 39,000,576;
  // 12 BERT layers 85,054,464; pooler 590,592 -> 124,645,632
  EXPECT_EQ(params_of_json("roberta", R"({"model_type": "roberta", "hidden_size": 768, "num_hidden_layers": 12,
      "num_attention_heads": 12, "intermediate_size": 3072, "vocab_size": 50265, "max_position_embeddings": 514,
      "type_vocab_size": 1, "hidden_act": "gelu"})"),
            124'645'632);
}

TEST(ParametersFamilies, MistralUsesGqaWithoutBiases) {
  // Mistral-7B-v0.1: embed + untied head 2*32000*4096 = 262,144,000;
  // layer: q,o 2*4096*4096 + k,v 2*4096*1024 + 3*4096*14336 + 2*4096 = 218,112,000; x32 = 6,979,584,000;
  // final norm 4096 -> 7,241,732,096
  EXPECT_EQ(params_of_json("mistral", R"({"model_type": "mistral", "hidden_size": 4096, "num_hidden_layers": 32,
      "num_attention_heads": 32, "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 32000,
      "max_position_embeddings": 32768, "tie_word_embeddings": false, "hidden_act": "silu"})"),
            7'241'732'096);
}

TEST(ParametersFamilies, LlamaAttentionBiasAddsFourBiases) {
  // Llama-2-7B with attention_bias: + per layer q,k,v,o biases 4*4096 = 16,384; x32 = 524,288
  EXPECT_EQ(params_of_json("llama_bias", R"({"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32,
      "num_attention_heads": 32, "intermediate_size": 11008, "vocab_size": 32000, "attention_bias": true})"),
            6'738'415'616 + 524'288);
}

}  // namespace
}  // namespace catsim
