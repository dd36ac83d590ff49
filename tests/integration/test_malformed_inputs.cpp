// Every malformed arch/model/config file gets one clear line naming file, line:col and key, and exit
// code 2. Each case is a file, the command, and the exact message fragment it must print.

#include <gtest/gtest.h>

#include "tests/support/arch_text.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

struct Case {
  const char* name;      // test and file name
  const char* file_ext;  // ".yaml" or ".json"
  const char* text;      // file contents
  const char* message;   // fragment the single stderr line must contain (after the file name)
};

constexpr const char* kGoodArch = test::kTinyInt8Arch;

std::string arch_with(const std::string& line_replaced, const std::string& replacement) {
  std::string s = kGoodArch;
  auto pos = s.find(line_replaced);
  return s.replace(pos, line_replaced.size(), replacement);
}

class MalformedInput : public ::testing::TestWithParam<Case> {};

TEST_P(MalformedInput, OneLineErrorAndExitCode2) {
  const Case& c = GetParam();
  std::string file = test::write_file(std::string(c.name) + c.file_ext, c.text);
  test::RunResult r = test::run_catsim("info " + file);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "") << "nothing may be written on failure";
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "exactly one line: " << r.err;
  EXPECT_EQ(r.err.rfind(file, 0), 0u) << "starts with the file name: " << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << "expected '" << c.message << "' in: " << r.err;
}

const std::string kArchTypo = arch_with("clock_mhz: 1000", "clock_mhz: 1000\nclok_mhz: 5");
const std::string kArchNegRows = arch_with("rows: 8,", "rows: -8,");
const std::string kArchZeroKib = arch_with("kib: 64,", "kib: 0,");
const std::string kArchBadDataflow = arch_with("rows: 8,", "dataflow: rs, rows: 8,");
const std::string kArchBadPrecision = arch_with("{int8: 1}", "{int8: 1, int3: 1}");
const std::string kArchBadRate = arch_with("{int8: 1}", "{int8: 1.5}");
const std::string kArchMissingClock = arch_with("clock_mhz: 1000\n", "");
const std::string kArchStringRows = arch_with("rows: 8,", "rows: eight,");
const std::string kArchBadDram = arch_with("type: lpddr4", "type: lpddr9");
const std::string kArchBadNode = arch_with("node_nm: 22", "node_nm: 11");
const std::string kArchSplit = arch_with("kib: 64,", "kib: 64, ifmap_kib: 16,");
const std::string kArchSplitSum = arch_with("kib: 64,", "kib: 64, ifmap_kib: 16, weight_kib: 16, ofmap_kib: 16,");
const std::string kArchGlobalBw = arch_with("kib: 64,", "kib: 64, global_kib: 1024,");
const std::string kArchUnknownPreset = "preset: no_such_chip\nname: x\n";
const std::string kArchSyntax = "name: t\nsystolic: {rows: 8\n";
const std::string kArchTimingTypo = arch_with("rows: 8,", "timing: scalsim, rows: 8,");

INSTANTIATE_TEST_SUITE_P(
    Arch, MalformedInput,
    ::testing::Values(
        Case{"arch_unknown_key", ".yaml", kArchTypo.c_str(), ":3:1: clok_mhz: unknown key (did you mean 'clock_mhz'?)"},
        Case{"arch_negative_rows", ".yaml", kArchNegRows.c_str(), "systolic.rows: out of range, got -8 (expected 1..4096, PE rows of the array)"},
        Case{"arch_zero_sram", ".yaml", kArchZeroKib.c_str(), "sram.kib: out of range, got 0 (expected > 0 and <= 1048576, per-core scratchpad capacity in KiB)"},
        Case{"arch_bad_dataflow", ".yaml", kArchBadDataflow.c_str(),
             "systolic.dataflow: unsupported value 'rs' (did you mean 'os'?) (expected one of os|ws|is)"},
        Case{"arch_bad_precision", ".yaml", kArchBadPrecision.c_str(),
             "systolic.precisions.int3: unknown precision 'int3' (expected one of fp32|fp16|bf16|int8|int4)"},
        Case{"arch_bad_mac_rate", ".yaml", kArchBadRate.c_str(), "neither an integer >= 1 nor 1/n"},
        Case{"arch_missing_clock", ".yaml", kArchMissingClock.c_str(), "clock_mhz: missing required key"},
        Case{"arch_string_rows", ".yaml", kArchStringRows.c_str(), "systolic.rows: 'eight' is not an integer"},
        Case{"arch_bad_dram_type", ".yaml", kArchBadDram.c_str(), "dram.type: unsupported value 'lpddr9'"},
        Case{"arch_unknown_node", ".yaml", kArchBadNode.c_str(), "technology.node_nm: no technology data for 11 nm"},
        Case{"arch_partial_split", ".yaml", kArchSplit.c_str(),
             "a split scratchpad needs all of ifmap_kib, weight_kib and ofmap_kib"},
        Case{"arch_split_sum", ".yaml", kArchSplitSum.c_str(), "sram.kib: kib = 64"},
        Case{"arch_global_without_bw", ".yaml", kArchGlobalBw.c_str(), "sram.global_bytes_per_cycle: missing required key"},
        Case{"arch_unknown_preset", ".yaml", kArchUnknownPreset.c_str(),
             "preset: unknown preset 'no_such_chip' (expected one of catransformers_baseline, datacenter, edge_npu, simba_like, tpuv1)"},
        Case{"arch_yaml_syntax", ".yaml", kArchSyntax.c_str(), ":3:1: YAML syntax error"},
        Case{"arch_timing_typo", ".yaml", kArchTimingTypo.c_str(), "(did you mean 'scalesim'?)"}),
    [](const auto& info) { return std::string(info.param.name); });

INSTANTIATE_TEST_SUITE_P(
    Model, MalformedInput,
    ::testing::Values(
        Case{"model_unknown_family", ".yaml", "family: gpt9\nlayers: 2\n",
             "family: unsupported value 'gpt9' (did you mean 'gpt2'?) (expected one of bert|roberta|vit|llama|mistral|qwen2|clip|gpt2|opt|phi3|gemma2|mixtral|qwen2_moe)"},
        Case{"model_missing_dim", ".yaml", "family: bert\nlayers: 2\nhidden: 64\nheads: 4\nvocab: 100\nmax_positions: 64\n",
             "ffn: missing required key"},
        Case{"model_heads_not_dividing", ".yaml",
             "family: bert\nlayers: 2\nhidden: 100\nheads: 3\nffn: 64\nvocab: 100\nmax_positions: 64\n",
             "heads: hidden 100 is not a multiple of heads 3"},
        Case{"model_bad_precision", ".yaml",
             "family: bert\nlayers: 2\nhidden: 64\nheads: 4\nffn: 64\nvocab: 100\nmax_positions: 64\nprecision: int5\n",
             "precision: unsupported value 'int5'"},
        Case{"model_prune_more_heads", ".yaml",
             "family: bert\nlayers: 2\nhidden: 64\nheads: 4\nffn: 64\nvocab: 100\nmax_positions: 64\npruning: {heads: 8}\n",
             "pruning.heads: cannot keep 8, the model has 4"},
        Case{"model_prune_zero_layers", ".yaml",
             "family: bert\nlayers: 2\nhidden: 64\nheads: 4\nffn: 64\nvocab: 100\nmax_positions: 64\npruning: {layers: 0}\n",
             "pruning.layers: out of range, got 0 (expected 1.."},
        Case{"model_prune_gqa_group", ".yaml",
             "family: llama\nlayers: 2\nhidden: 256\nheads: 8\nkv_heads: 2\nffn: 64\nvocab: 100\nmax_positions: 64\n"
             "pruning: {heads: 6}\n",
             "pruning.heads: 6 heads is not a multiple of the GQA group size 4"},
        Case{"model_kv_heads_not_dividing", ".yaml",
             "family: llama\nlayers: 2\nhidden: 256\nheads: 8\nkv_heads: 3\nffn: 64\nvocab: 100\nmax_positions: 64\n",
             "kv_heads: kv_heads 3 does not divide heads 8"},
        Case{"model_decode_encoder", ".yaml",
             "family: bert\nlayers: 2\nhidden: 64\nheads: 4\nffn: 64\nvocab: 100\nmax_positions: 64\n"
             "workload: {phase: decode, kv_len: 10}\n",
             "workload.phase: decode needs a causal decoder"},
        Case{"model_seq_too_long", ".yaml",
             "family: bert\nlayers: 2\nhidden: 64\nheads: 4\nffn: 64\nvocab: 100\nmax_positions: 64\n"
             "workload: {seq_len: 65}\n",
             "workload.seq_len: 65 tokens exceed max_positions 64"},
        Case{"model_decode_without_kv_len", ".yaml",
             "family: llama\nlayers: 2\nhidden: 256\nheads: 8\nffn: 64\nvocab: 100\nmax_positions: 64\n"
             "workload: {phase: decode}\n",
             "workload.kv_len: missing required key"},
        Case{"model_gemm_negative", ".yaml", "kind: gemm\nm: 128\nn: -5\nk: 64\n", "n: out of range, got -5 (expected 1..16777216"},
        Case{"model_gemms_not_list", ".yaml", "kind: gemms\ngemms: {m: 1}\n", "gemms: expected a list"},
        Case{"model_hf_missing", ".yaml", "hf_config: nowhere/config.json\n", "hf_config: file not found"},
        Case{"model_workload_typo", ".yaml",
             "family: bert\nlayers: 2\nhidden: 64\nheads: 4\nffn: 64\nvocab: 100\nmax_positions: 64\n"
             "workload: {batch: 1, seqlen: 12}\n",
             "workload.seqlen: unknown key (did you mean 'seq_len'?)"}),
    [](const auto& info) { return std::string(info.param.name); });

INSTANTIATE_TEST_SUITE_P(
    HfConfig, MalformedInput,
    ::testing::Values(
        Case{"hf_unknown_type", ".json", R"({"model_type": "t5", "num_layers": 12})",
             "model_type: unsupported model_type 't5' (expected one of bert, roberta, vit, llama, mistral, qwen2, clip, "
             "gpt2, opt, phi3, gemma2, mixtral, qwen2_moe; or describe the model in a model.yaml with the family whose "
             "layers it has (family: llama, ...) and its dimensions (hidden, layers, heads, kv_heads, ffn, vocab))"},
        Case{"hf_no_type", ".json", R"({"hidden_size": 12})", "model_type: missing"},
        Case{"hf_string_hidden", ".json", R"({"model_type": "bert", "hidden_size": "768"})",
             "hidden_size: expected an integer, got string"},
        Case{"hf_negative_layers", ".json", R"({"model_type": "llama", "num_hidden_layers": -1})",
             ":1:25: num_hidden_layers: must be positive, got -1"},
        Case{"hf_bad_act", ".json", R"({"model_type": "bert", "hidden_act": "mish"})",
             "hidden_act: unsupported activation 'mish'"},
        Case{"hf_syntax", ".json", "{\"model_type\": \"bert\",\n  \"hidden_size\": }", ":2:18: JSON syntax error"},
        Case{"hf_gqa", ".json", R"({"model_type": "llama", "num_attention_heads": 32, "num_key_value_heads": 5})",
             ":1:52: num_key_value_heads: must divide num_attention_heads (32)"},
        Case{"hf_clip_tower", ".json", "{\"model_type\": \"clip\",\n \"vision_config\": {\n   \"patch_size\": 30}}",
             ":3:4: vision_config.patch_size: must divide image_size (224)"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(BadCommandLine, MalformedSetIsExitCode2) {
  test::RunResult r = test::run_catsim("info " + test::model_config("bert-base.yaml") + " --set model.workload.batch");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--set: model.workload.batch: malformed override"), std::string::npos) << r.err;
}

TEST(BadCommandLine, SetValueIsValidated) {
  test::RunResult r = test::run_catsim("info " + test::model_config("bert-base.yaml") + " --set model.workload.batch=-2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--set: workload.batch: out of range, got -2 (expected 1..65536"), std::string::npos) << r.err;
}

TEST(ShippedConfigs, InfoRunsOnEveryShippedConfig) {
  for (const auto& dir : {"configs/models", "configs/models/hf", "configs/arch"}) {
    for (const auto& e : std::filesystem::directory_iterator(test::source_path(dir))) {
      auto ext = e.path().extension();
      if (ext != ".yaml" && ext != ".json") continue;
      test::RunResult r = test::run_catsim("info " + e.path().string());
      EXPECT_EQ(r.exit_code, 0) << e.path() << ": " << r.err;
      EXPECT_FALSE(r.out.empty()) << e.path();
    }
  }
}

}  // namespace
}  // namespace catsim
