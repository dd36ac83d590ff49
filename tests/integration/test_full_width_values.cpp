// Every numeric key a run resolves is checked at its full width: walked from the `resolved` document of
// shipped designs (so a key added to the parsers joins the walk by itself), each integer key given 2^31,
// 2^32, 2^63 - 1, 2^64 and -1 through --set, each real key NaN, +-inf, 1e308 and -1, must be refused with exit
// code 2 and one line naming the key: no crash, no truncation to a wrong value, no run with exit 0.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/expect_one_line.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

struct Key {
  std::string path;  // arch.dram.burst_bytes
  bool integer;
};

// The numeric leaves of `node` (booleans and strings are not numbers; lists are not --set keys).
void numeric_keys(const nlohmann::json& node, const std::string& path, std::vector<Key>& out) {
  if (node.is_object()) {
    for (const auto& [k, v] : node.items()) numeric_keys(v, path + "." + k, out);
  } else if (node.is_number_integer()) {
    out.push_back({path, true});
  } else if (node.is_number_float()) {
    out.push_back({path, false});
  }
}

std::string leaf(const std::string& path) { return path.substr(path.rfind('.') + 1); }

// Tries every hostile value on every numeric key of the pair's resolved arch and model; `seen` skips keys
// checked on an earlier pair.
void walk(const std::string& arch, const std::string& model, std::set<std::string>& seen) {
  const std::string pair = test::arch_config(arch + ".yaml") + " " + test::model_config(model + ".yaml");
  const test::RunResult base = test::run_catsim(pair + " --json");
  ASSERT_EQ(base.exit_code, 0) << base.err;
  const nlohmann::json resolved = nlohmann::json::parse(base.out)["resolved"];
  std::vector<Key> keys;
  numeric_keys(resolved["arch"], "arch", keys);
  numeric_keys(resolved["model"], "model", keys);
  ASSERT_GT(keys.size(), 10u) << pair;
  const std::vector<std::string> integers = {"2147483648", "4294967296", "9223372036854775807",
                                             "18446744073709551616", "-1"};
  const std::vector<std::string> reals = {"nan", "inf", "-inf", "1e308", "-1"};
  for (const Key& k : keys) {
    if (!seen.insert(k.path).second) continue;
    for (const std::string& v : k.integer ? integers : reals) {
      SCOPED_TRACE(arch + " x " + model + ": --set " + k.path + "=" + v);
      test::expect_one_line(test::run_catsim(pair + " --set " + k.path + "=" + v), 2, leaf(k.path));
    }
  }
}

TEST(FullWidthValues, EveryResolvedNumericKeyRefusesHostileValues) {
  std::set<std::string> seen;
  // Between them: every arch section (global buffer, split scratchpad, analytic energy), a decode workload
  // (kv_len) and a vision model.
  const std::pair<const char*, const char*> pairs[] = {{"edge_npu", "gemm-bert-proj"},
                                                       {"datacenter", "gemm-bert-proj"},
                                                       {"simba_like", "vit-base"},
                                                       {"tpuv1", "bert-base"},
                                                       {"datacenter", "llama-3-8b-decode"}};
  for (const auto& [arch, model] : pairs) walk(arch, model, seen);
  EXPECT_GT(seen.size(), 35u);
}

// Every integer key of every shipped HuggingFace config.json, canonical names and aliases alike (n_layer,
// n_embd, n_inner, n_positions, ffn_dim, word_embed_proj_dim, decoder_sparse_step, ...), given each hostile
// value in a copy of the file: a key catsim reads must be refused with exit 2 and one line naming it; a key
// it ignores (token ids, training settings) may leave the run as it was. The keys workloads/dim_limits.cpp
// bounds must be among the refused.
TEST(FullWidthValues, EveryIntegerKeyOfShippedHfConfigsRefusesHostileValues) {
  const std::set<std::string> bounded = {"num_hidden_layers", "n_layer", "decoder_sparse_step", "hidden_size", "n_embd",
                                         "word_embed_proj_dim", "num_attention_heads", "n_head", "num_key_value_heads",
                                         "head_dim", "intermediate_size", "n_inner", "ffn_dim", "moe_intermediate_size",
                                         "shared_expert_intermediate_size", "vocab_size", "max_position_embeddings",
                                         "n_positions", "type_vocab_size", "image_size", "patch_size", "num_channels",
                                         "projection_dim", "num_local_experts", "num_experts", "num_experts_per_tok"};
  std::set<std::string> refused;
  const std::vector<std::string> hostile = {"2147483648", "4294967296", "9223372036854775807", "18446744073709551616",
                                            "-1"};
  for (const auto& entry : std::filesystem::directory_iterator(test::model_config("hf"))) {
    if (entry.path().extension() != ".json") continue;
    nlohmann::json config = nlohmann::json::parse(test::slurp(entry.path().string()));
    // GPT-2's shipped config leaves n_inner null (4 x n_embd); other GPT-2-style configs set it.
    if (config.contains("n_embd") && !config.value("n_inner", nlohmann::json()).is_number()) config["n_inner"] = 3072;
    // Top level, and CLIP's text_config / vision_config.
    std::vector<std::pair<std::string, std::string>> keys;  // (section or "", key)
    for (const auto& [k, v] : config.items()) {
      if (v.is_number_integer() && !v.is_boolean()) keys.emplace_back("", k);
      if (v.is_object())
        for (const auto& [k2, v2] : v.items())
          if (v2.is_number_integer() && !v2.is_boolean()) keys.emplace_back(k, k2);
    }
    // What the unmodified file gives, under the name the hostile copies take.
    const std::string copy_name = "hostile_" + entry.path().filename().string();
    const test::RunResult baseline = test::run_catsim("info " + test::write_file(copy_name, config.dump()));
    ASSERT_EQ(baseline.exit_code, 0) << baseline.err;
    for (const auto& [section, key] : keys) {
      for (const std::string& value : hostile) {
        nlohmann::json copy = config;
        // JSON numbers here cannot hold 2^64: write 0 in the key's place, then splice the value's text over it.
        (section.empty() ? copy[key] : copy[section][key]) = 0;
        std::string text = copy.dump();
        const std::string needle = "\"" + key + "\":0";
        const std::size_t at = section.empty() ? text.find(needle) : text.find(needle, text.find("\"" + section + "\""));
        ASSERT_NE(at, std::string::npos) << key;
        text.replace(at, needle.size(), "\"" + key + "\":" + value);
        const std::string file = test::write_file(copy_name, text);
        const test::RunResult r = test::run_catsim("info " + file);
        SCOPED_TRACE(entry.path().filename().string() + ": " + (section.empty() ? "" : section + ".") + key + " = " +
                     value);
        if (r.exit_code == 0) {  // an ignored key: the run must be the unmodified file's
          EXPECT_FALSE(bounded.count(key)) << "a bounded key accepted";
          EXPECT_EQ(r.out, baseline.out) << "an accepted key changed the result";
          continue;
        }
        test::expect_one_line(r, 2, key);
        refused.insert(key);
      }
    }
  }
  for (const char* alias : {"n_layer", "n_embd", "n_inner", "n_positions", "n_head", "ffn_dim", "word_embed_proj_dim",
                            "decoder_sparse_step"})
    EXPECT_TRUE(refused.count(alias)) << alias << " is in a shipped config and must be refused";
}

}  // namespace
}  // namespace catsim
