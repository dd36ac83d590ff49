// GPT-2, OPT, Phi-3, Gemma 2 and Mixtral from their shipped config.json files: parameter counts equal
// HuggingFace's published totals (sum of numel over the *ForCausalLM class), with the arithmetic written
// out; Mixtral's routing reads only the routed experts; unknown config keys warn; torch_dtype is the
// default precision.

#include <gtest/gtest.h>

#include <utility>

#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"
#include "arch/config/error.h"
#include "workloads/model_parser.h"
#include "workloads/op_graph.h"
#include "workloads/parameters.h"

namespace catsim {
namespace {

ModelSpec hf(const std::string& file, std::vector<Override> sets = {}) {
  return load_model(test::model_config("hf/" + file), sets);
}
std::int64_t params(const std::string& file) { return count_parameters(hf(file)).total(); }

TEST(NewFamilies, Gpt2MatchesHuggingFace) {
  // wte 50257*768 = 38,597,376 + wpe 1024*768 = 786,432;
  // layer: ln 2*1536 + c_attn 768*2304+2304 + c_proj 768*768+768 + c_fc 768*3072+3072 + 3072*768+768
  //        = 7,087,872; x12 = 85,054,464; ln_f 1,536; lm_head tied -> 124,439,808 (gpt2)
  EXPECT_EQ(params("gpt2.json"), 124'439'808);
}

TEST(NewFamilies, OptMatchesHuggingFaceWithPositionOffsetAndProjections) {
  // opt-125m: embed 50272*768 = 38,608,896 + positions (2048+2)*768 = 1,574,400;
  // layer 4*(768*768+768) + 768*3072+3072 + 3072*768+768 + 2*1536 = 7,087,872; x12 = 85,054,464;
  // final LayerNorm 1,536 (pre-norm) -> 125,239,296
  EXPECT_EQ(params("opt-125m.json"), 125'239'296);
  // opt-350m: embed 50272*512 = 25,739,264 + positions 2050*1024 = 2,099,200 + project_in/out 2*512*1024
  // = 1,048,576; layer 4*(1024^2+1024) + 1024*4096+4096 + 4096*1024+1024 + 2*2048 = 12,596,224; x24 =
  // 302,309,376; post-norm: no final LayerNorm -> 331,196,416
  EXPECT_EQ(params("opt-350m.json"), 331'196'416);
}

TEST(NewFamilies, Phi3MiniMatchesHuggingFace) {
  // qkv 3072*9216 + o 3072*3072 + gate_up 3072*16384 + down 8192*3072 + 2 RMSNorm 6,144 = 113,252,352;
  // x32 = 3,624,075,264; embed + untied head 2*32064*3072 = 197,001,216; final norm 3,072 -> 3,821,079,552
  EXPECT_EQ(params("phi-3-mini-4k-instruct.json"), 3'821'079'552);
}

TEST(NewFamilies, Gemma2MatchesHuggingFace) {
  // 2b: q 2304*2048 + k,v 2*2304*1024 + o 2048*2304 = 14,155,776; MLP 3*2304*9216 = 63,700,992;
  // 4 RMSNorms 9,216 -> 77,865,984; x26 = 2,024,515,584; tied embed 256000*2304 = 589,824,000;
  // final norm 2,304 -> 2,614,341,888
  EXPECT_EQ(params("gemma-2-2b.json"), 2'614'341'888);
  // 9b: attention 2*3584*4096 + 2*3584*2048 = 44,040,192; MLP 3*3584*14336 = 154,140,672; norms 14,336;
  // x42 = 8,324,198,400; embed 917,504,000; final 3,584 -> 9,241,705,984
  EXPECT_EQ(params("gemma-2-9b.json"), 9'241'705'984);
}

TEST(NewFamilies, MixtralCountsEveryExpert) {
  // layer: attention 2*4096^2 + 2*4096*1024 = 41,943,040; 8 experts x 3*4096*14336 = 1,409,286,144;
  // router 4096*8 = 32,768; norms 8,192 -> 1,451,270,144; x32 = 46,440,644,608;
  // embed + head 2*32000*4096 = 262,144,000; final 4,096 -> 46,702,792,704
  EXPECT_EQ(params("mixtral-8x7b-v0.1.json"), 46'702'792'704);
}

TEST(NewFamilies, Qwen2MoeCountsRoutedAndSharedExperts) {
  // Qwen1.5-MoE-A2.7B, per layer: q,k,v with bias 3*(2048^2+2048) + o 2048^2 = 16,783,360;
  // 60 experts x 3*2048*1408 = 519,045,120; router 2048*60 = 122,880; shared expert 3*2048*5632 =
  // 34,603,008 and its gate 2048; norms 4,096 -> 570,560,512; x24 = 13,693,452,288;
  // embed + untied head 2*151936*2048 = 622,329,856; final norm 2,048 -> 14,315,784,192
  EXPECT_EQ(params("qwen1.5-moe-a2.7b.json"), 14'315'784'192);
  // Decode of one token: 4 routed experts and the shared expert run in each layer.
  OpGraph g = lower(hf("qwen1.5-moe-a2.7b.json", {{"model", "precision", "int8"},
                                                  {"model", "workload.phase", "decode"},
                                                  {"model", "workload.kv_len", "8"}}));
  int routed = 0, shared = 0;
  for (const auto& o : g.ops) {
    if (o.layer != 0 || o.name.find(".down") == std::string::npos) continue;
    routed += o.name.find(".expert") != std::string::npos;
    shared += o.name.find(".shared_expert.") != std::string::npos;
  }
  EXPECT_EQ(routed, 4);
  EXPECT_EQ(shared, 1);
}

TEST(NewFamilies, Qwen2MoeRefusesMixedDenseLayers) {
  const std::string file = test::write_file("qwen_moe_mixed.json", R"({"model_type": "qwen2_moe", "mlp_only_layers": [0, 3]})");
  EXPECT_THROW(load_model(file), ConfigError);
}

// An expert key on a dense model would be ignored: it is refused, naming the key.
TEST(NewFamilies, ExpertKeysOnADenseModelAreRefused) {
  for (const char* key : {"experts", "experts_per_token", "expert_ffn", "shared_expert_ffn"}) {
    SCOPED_TRACE(key);
    try {
      hf("meta-llama-3-8b.json", {{"model", key, "4"}});
      FAIL() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(std::string(key) + ": applies to the mixture-of-experts families only"),
                std::string::npos)
          << e.what();
    }
  }
  EXPECT_NO_THROW(hf("mixtral-8x7b-v0.1.json", {{"model", "experts", "4"}}));
}

std::uint64_t expert_weight_bytes_read(const OpGraph& g) {
  std::uint64_t b = 0;
  for (const auto& o : g.ops)
    if (o.name.find(".expert") != std::string::npos && o.b_is_weight) b += o.b_bytes;
  return b;
}

TEST(NewFamilies, MixtralDecodeReadsOnlyTheRoutedExperts) {
  // Decode, batch 1: one token, top-2 -> 2 experts per layer run; each reads 3*4096*14336 int8 weights.
  ModelSpec m = hf("mixtral-8x7b-v0.1.json", {{"model", "precision", "int8"},
                                              {"model", "workload.phase", "decode"},
                                              {"model", "workload.kv_len", "16"}});
  OpGraph g = lower(m);
  EXPECT_EQ(expert_weight_bytes_read(g), 32ull * 2 * 3 * 4096 * 14336);
  // Parameters a token touches: 46,702,792,704 - 32 layers x 6 idle experts x 176,160,768 = 12,879,925,248.
  // Decode MACs = those minus the embedding table (a gather, 131,072,000) and the RMSNorm weights
  // (32 x 2 x 4096 + 4096 = 266,240), plus attention over kv_len 16 (32 layers x 32 heads x 2 x 16 x 128
  // = 4,194,304).
  EXPECT_EQ(g.total_macs(), 12'879'925'248ull - 131'072'000ull - 266'240ull + 4'194'304ull);
}

TEST(NewFamilies, MixtralPrefillSpreadsTokensEvenlyOverAllExperts) {
  // 5 tokens x top-2 = 10 assignments over 8 experts: experts 0,1 get 2 tokens, experts 2..7 get 1.
  ModelSpec m = hf("mixtral-8x7b-v0.1.json", {{"model", "workload.seq_len", "5"}});
  OpGraph g = lower(m);
  std::int64_t rows = 0;
  int experts = 0;
  for (const auto& o : g.ops)
    if (o.layer == 0 && o.name.find(".up") != std::string::npos && o.name.find("expert") != std::string::npos) {
      rows += o.m;
      ++experts;
      EXPECT_EQ(o.m, o.name.find("expert0.") != std::string::npos || o.name.find("expert1.") != std::string::npos ? 2 : 1)
          << o.name;
    }
  EXPECT_EQ(experts, 8);
  EXPECT_EQ(rows, 10);
}

TEST(NewFamilies, ShippedConfigsHaveNoUnknownKeys) {
  for (const char* f : {"gpt2.json", "opt-125m.json", "opt-350m.json", "phi-3-mini-4k-instruct.json", "gemma-2-2b.json",
                        "gemma-2-9b.json", "mixtral-8x7b-v0.1.json", "qwen1.5-moe-a2.7b.json", "bert-base-uncased.json",
                        "clip-vit-base-patch32.json", "llama-2-7b-hf.json", "meta-llama-3-8b.json",
                        "vit-base-patch16-224.json"}) {
    ModelSpec m = hf(f);
    EXPECT_TRUE(m.warnings.empty()) << f << ": " << m.warnings.front();
  }
}

TEST(HfConfig, MisspelledKeyWarnsWithTheClosestKey) {
  const std::string file = test::write_file("typo.json", R"({"model_type": "llama",
  "num_hiden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 128,
  "vocab_size": 100, "whatever_this_is": 1})");
  ModelSpec m = load_model(file);
  ASSERT_EQ(m.warnings.size(), 2u);
  EXPECT_EQ(m.warnings[0], file + ":2:3: num_hiden_layers: warning: unknown key, ignored (did you mean "
                                  "'num_hidden_layers'?)");
  EXPECT_EQ(m.warnings[1], file + ":3:22: whatever_this_is: warning: unknown key, ignored");
  EXPECT_EQ(m.towers[0].layers, 32);  // the default, as HuggingFace would also use
}

// Falcon-7B's config.json (tiiuae/falcon-7b; its keys as HuggingFace ships them) relabelled as llama: it
// names no intermediate_size (Falcon's FFN is 4 x 4,544 wide), and Llama's default of 11,008 made an
// 8.04 B-parameter model of a 6.92 B one. Its own class (FalconForCausalLM) keeps every family's defaults
// out: a missing dimension is an error naming the class and how to describe the model instead.
TEST(HfConfig, ARelabelledConfigTakesNoDefaultsOfTheFamilyItNames) {
  const std::string falcon = R"({"alibi": false, "apply_residual_connection_post_layernorm": false,
  "architectures": ["FalconForCausalLM"], "attention_dropout": 0.0, "bias": false, "bos_token_id": 11,
  "eos_token_id": 11, "hidden_dropout": 0.0, "hidden_size": 4544, "initializer_range": 0.02,
  "layer_norm_epsilon": 1e-05, "model_type": "llama", "multi_query": true, "new_decoder_architecture": false,
  "num_attention_heads": 71, "num_hidden_layers": 32, "parallel_attn": true, "torch_dtype": "bfloat16",
  "transformers_version": "4.27.4", "use_cache": true, "vocab_size": 65024})";
  // The first dimension it lacks: num_key_value_heads (Falcon-7B is multi-query: 1, not Llama's 71).
  const std::string file = test::write_file("falcon_as_llama.json", falcon);
  try {
    load_model(file);
    FAIL() << "a relabelled config ran on the family's defaults";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "num_key_value_heads");
    EXPECT_EQ(std::string(e.what()).rfind(file + ": num_key_value_heads: missing; architectures names "
                                                 "FalconForCausalLM, not a llama class, so llama's defaults do not "
                                                 "apply (give the key; or describe the model in a model.yaml",
                                          0),
              0u)
        << e.what();
  }
  // Given that, the FFN width (where Llama's 11,008 made 8.04 B parameters of Falcon-7B's 6.92 B).
  std::string with_kv = falcon;
  with_kv.insert(with_kv.find("\"num_attention_heads\""), "\"num_key_value_heads\": 1, ");
  try {
    load_model(test::write_file("falcon_kv.json", with_kv));
    FAIL() << "no error for the FFN width";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "intermediate_size") << e.what();
  }
  // The same keys under Llama's own class take Llama's defaults, as HuggingFace's LlamaConfig would.
  std::string own = falcon;
  own.replace(own.find("FalconForCausalLM"), 17, "LlamaForCausalLM");
  EXPECT_EQ(load_model(test::write_file("llama_class.json", own)).towers[0].ffn, 11008);
  // An unknown model_type says how to describe the model instead.
  std::string unknown = falcon;
  unknown.replace(unknown.find("\"llama\""), 7, "\"falcon\"");
  try {
    load_model(test::write_file("falcon.json", unknown));
    FAIL() << "falcon accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("unsupported model_type 'falcon'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("family: llama"), std::string::npos) << e.what();
  }
}

TEST(HfConfig, TorchDtypeIsTheDefaultPrecision) {
  ModelSpec llama3 = hf("meta-llama-3-8b.json");
  EXPECT_EQ(llama3.torch_dtype, "bfloat16");
  EXPECT_EQ(llama3.precision.weights, Precision::bf16);
  EXPECT_EQ(llama3.precision.kv_cache, Precision::bf16);
  EXPECT_EQ(llama3.precision.accumulator, "fp32");
  // A precision given by the model (or --set) wins.
  EXPECT_EQ(hf("meta-llama-3-8b.json", {{"model", "precision", "int4"}}).precision.weights, Precision::int4);
  // Through a model.yaml with hf_config and no precision, too.
  const std::string yaml = test::write_file(
      "dtype.yaml", "hf_config: " + test::model_config("hf/llama-2-7b-hf.json") + "\n");
  EXPECT_EQ(load_model(yaml).precision.activations, Precision::fp16);
  // No torch_dtype: int8, as before.
  EXPECT_EQ(hf("bert-base-uncased.json").precision.weights, Precision::int8);
}

// A weight-quantized checkpoint: the shipped Llama-2-7B config with a quantization_config block in the layout
// AutoGPTQ writes (bits, group_size, desc_act, sym, quant_method, ...) runs with int4 weights and fp16
// activations (it used to run entirely at fp16, 4x the weight bytes); bitsandbytes' load_in_8bit gives int8;
// bit widths catsim has no datapath for, and a method without bits, are errors at the key.
TEST(HfDtype, QuantizationConfigSetsTheWeights) {
  const std::string base = test::slurp(test::model_config("hf/llama-2-7b-hf.json"));
  auto with = [&](const std::string& name, const std::string& block) {
    std::string text = base;
    text.insert(text.rfind('}'), ",\n  \"quantization_config\": " + block + "\n");
    return load_model(test::write_file(name, text));
  };
  const ModelSpec gptq = with("gptq.json", R"({"bits": 4, "group_size": 128, "damp_percent": 0.01, "desc_act": false,
      "sym": true, "true_sequential": true, "model_name_or_path": null, "model_file_base_name": "model",
      "quant_method": "gptq"})");
  EXPECT_EQ(gptq.precision.weights, Precision::int4);
  EXPECT_EQ(gptq.precision.activations, Precision::fp16);
  EXPECT_EQ(gptq.precision.kv_cache, Precision::fp16);
  EXPECT_TRUE(gptq.warnings.empty()) << gptq.warnings.front();
  EXPECT_EQ(with("bnb.json", R"({"load_in_8bit": true, "quant_method": "bitsandbytes"})").precision.weights,
            Precision::int8);
  // A precision the model file gives still wins.
  EXPECT_EQ(load_model(test::write_file("gptq_set.json", test::slurp(test::scratch_dir() / "gptq.json")),
                       {{"model", "precision", "int8"}})
                .precision.weights,
            Precision::int8);
  for (const auto& [block, fragment] : {std::pair<std::string, std::string>{R"({"bits": 3, "quant_method": "gptq"})",
                                                                              "3-bit weights are not modelled"},
                                        {R"({"quant_method": "fp8"})", "quant_method 'fp8' without bits"}}) {
    try {
      with("bad_quant.json", block);
      ADD_FAILURE() << block;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("quantization_config.bits: " + fragment), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace catsim

namespace catsim {
namespace {

const Op& op_named(const OpGraph& g, const std::string& name) {
  for (const Op& o : g.ops)
    if (o.name == name) return o;
  ADD_FAILURE() << "no op " << name;
  return g.ops.front();
}

ModelSpec decode_at(const std::string& file, std::int64_t kv_len) {
  return hf(file, {{"model", "workload.phase", "decode"}, {"model", "workload.kv_len", std::to_string(kv_len)}});
}

// Phi-3-mini's config.json has sliding_window 2047 on every layer: a decode step attends to the last 2,047
// keys however long the context, and the cache keeps 2,047 tokens per layer; below the window nothing
// changes. A prefill beyond the window (a banded mask) is refused rather than run as full attention.
TEST(SlidingWindow, Phi3DecodeAttendsToItsWindow) {
  const ModelSpec within = decode_at("phi-3-mini-4k-instruct.json", 1000);
  const ModelSpec beyond = decode_at("phi-3-mini-4k-instruct.json", 4000);
  EXPECT_EQ(beyond.towers[0].sliding_window, 2047);
  const OpGraph g1 = lower(within), g2 = lower(beyond);
  EXPECT_EQ(op_named(g1, "L0.attn.qk").n, 1000);
  EXPECT_EQ(op_named(g2, "L0.attn.qk").n, 2047);
  EXPECT_EQ(op_named(g2, "L31.attn.av").k, 2047);
  EXPECT_EQ(op_named(g2, "L0.attn.qk").causal_offset, 2046);  // the one new query sees the whole window
  // 32 layers x 1 sequence x 2,047 tokens x (K, V) x 32 kv heads x 96 head_dim x 2 bytes (bf16).
  EXPECT_EQ(g2.kv_cache_bytes, 32ull * 2047 * 2 * 32 * 96 * 2);
  EXPECT_EQ(g1.kv_cache_bytes, 32ull * 1000 * 2 * 32 * 96 * 2);
  try {
    hf("phi-3-mini-4k-instruct.json", {{"model", "workload.seq_len", "3000"}});
    FAIL() << "a prefill beyond the window ran";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "workload.seq_len");
    EXPECT_NE(std::string(e.what()).find("3000 tokens exceed the model's sliding window of 2047 keys (every layer)"),
              std::string::npos)
        << e.what();
  }
}

// Gemma 2 windows its even layers (4,096 keys) and attends globally on the odd ones.
TEST(SlidingWindow, Gemma2WindowsItsEvenLayers) {
  const OpGraph g = lower(decode_at("gemma-2-2b.json", 6000));
  EXPECT_EQ(op_named(g, "L0.attn.qk").n, 4096);
  EXPECT_EQ(op_named(g, "L1.attn.qk").n, 6000);
  EXPECT_EQ(op_named(g, "L24.attn.softmax").n, 4096);
  EXPECT_EQ(op_named(g, "L25.attn.softmax").n, 6000);
  // 13 windowed layers x 4,096 tokens + 13 global x 6,000, x (K, V) x 4 kv heads x 256 head_dim x 4 bytes
  // (float32, the config's torch_dtype).
  EXPECT_EQ(g.kv_cache_bytes, (13ull * 4096 + 13ull * 6000) * 2 * 4 * 256 * 4);
}

// Mixtral's config says sliding_window: null: every key, at any context.
TEST(SlidingWindow, NullMeansEveryKey) {
  const OpGraph g = lower(decode_at("mixtral-8x7b-v0.1.json", 8192));
  EXPECT_EQ(op_named(g, "L0.attn.qk").n, 8192);
}

}  // namespace
}  // namespace catsim
