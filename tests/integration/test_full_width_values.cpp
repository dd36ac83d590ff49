// Every numeric key a run resolves is checked at its full width: walked from the `resolved` document of
// shipped designs (so a key added to the parsers joins the walk by itself), each integer key given 2^31,
// 2^32, 2^63 - 1, 2^64 and -1 through --set, each real key NaN, +-inf, 1e308 and -1, must be refused with exit
// code 2 and one line naming the key: no crash, no truncation to a wrong value, no run with exit 0.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
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

}  // namespace
}  // namespace catsim
