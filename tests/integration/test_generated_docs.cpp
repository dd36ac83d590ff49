// The references in docs/ are the code's own: the table between the markers of docs/arch-yaml.md (model-yaml.md,
// search.md, energy-carbon.md, commands.md) is exactly what `catsim help arch` (`model`, `space`, `data`, `cfg`,
// `flags`) prints from the declarations, and every declared arch and model key is one the parsers really read
// (a bad value for it is refused with exit 2, never reported as an unknown key).

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "api/flag_params.h"
#include "api/scalesim_params.h"
#include "arch/arch_params.h"
#include "carbon/data_params.h"
#include "search/space_params.h"
#include "workloads/model_params.h"
#include "tests/support/expect_one_line.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

// The text between the line holding `begin` and the line starting with `end`.
std::string between_markers(const std::string& text, const std::string& begin, const std::string& end) {
  const std::size_t b = text.find(begin);
  if (b == std::string::npos) return "(no marker '" + begin + "')";
  const std::size_t from = text.find('\n', b) + 1;
  const std::size_t to = text.find(end, from);
  if (to == std::string::npos) return "(no marker '" + end + "')";
  return text.substr(from, to - from);
}

// The table of `file`'s reference in `doc` against `catsim help FILE`.
void expect_generated(const std::string& file, const std::string& doc_path, std::size_t declarations) {
  const test::RunResult help = test::run_catsim("help " + file);
  ASSERT_EQ(help.exit_code, 0) << help.err;
  const std::string doc = test::slurp(test::source_path(doc_path));
  EXPECT_EQ(between_markers(doc, "<!-- generated: catsim help " + file, "<!-- end of generated -->"), help.out)
      << doc_path << " differs from `catsim help " << file << "`: run scripts/gen_docs";
  // One row per declaration, after the header and its rule.
  EXPECT_EQ(static_cast<std::size_t>(std::count(help.out.begin(), help.out.end(), '\n')), declarations + 2);
}

TEST(GeneratedDocs, ArchReferenceIsWhatHelpArchPrints) {
  expect_generated("arch", "docs/arch-yaml.md", arch_params().size());
}

TEST(GeneratedDocs, ModelReferenceIsWhatHelpModelPrints) {
  expect_generated("model", "docs/model-yaml.md", model_params().size());
}

TEST(GeneratedDocs, SpaceReferenceIsWhatHelpSpacePrints) {
  expect_generated("space", "docs/search.md", space_params().size());
}

TEST(GeneratedDocs, DataReferenceIsWhatHelpDataPrints) {
  expect_generated("data", "docs/energy-carbon.md", data_params().size());
}

TEST(GeneratedDocs, ScaleSimCfgReferenceIsWhatHelpCfgPrints) {
  expect_generated("cfg", "docs/commands.md", scalesim_params().size());
}

TEST(GeneratedDocs, FlagReferenceIsWhatHelpFlagsPrints) {
  expect_generated("flags", "docs/commands.md", flag_params().size());
}

// The key a test sets for a declaration: its path, with a last part that stands for any key of its map (upper
// case, arch/config/param.h) replaced by one such key.
std::string concrete(const Param& p) {
  static const std::map<std::string_view, std::string> kExample = {
      {"PRECISION", "int8"}, {"OP", "add"}, {"ENTRY", "mac_int8_pj"}, {"NAME", "batch"}};
  const std::string_view leaf = param_leaf(p);
  const auto example = kExample.find(leaf);
  if (example == kExample.end()) return std::string(p.path);
  return std::string(p.path.substr(0, p.path.size() - leaf.size())) + example->second;
}

TEST(GeneratedDocs, EveryDeclaredArchKeyIsReadAndChecked) {
  const std::string arch = test::arch_config("datacenter.yaml");
  int checked = 0;
  for (const Param& p : arch_params()) {
    if (p.type == ParamType::text) continue;  // any string is a valid label or name to look up
    const std::string key = concrete(p);
    SCOPED_TRACE("--set arch." + key + "=bogus");
    const test::RunResult r = test::run_catsim("info " + arch + " --set arch." + key + "=bogus");
    test::expect_one_line(r, 2, key.substr(key.rfind('.') + 1));
    EXPECT_EQ(r.err.find("unknown key"), std::string::npos) << r.err;
    ++checked;
  }
  EXPECT_GT(checked, 40);
}

// A model file in which `key` is read: a mixture-of-experts decoder for the transformer keys, CLIP for its
// towers, a GEMM and a GEMM list for theirs, an ONNX graph for its own.
std::string model_reading(const std::string& key) {
  if (key == "text" || key == "vision" || key == "projection_dim") return test::model_config("clip-vit-b32.yaml");
  if (key == "m" || key == "n" || key == "k") return test::model_config("gemm-bert-proj.yaml");
  if (key == "gemms") return test::model_config("gemms-vit-mlp.yaml");
  if (key == "batch" || key.starts_with("dims.") || key.starts_with("inputs."))
    return test::source_path("tests/data/onnx/real/hello_deepa.onnx");
  return test::write_file("moe_decoder.yaml",
                          "family: mixtral\nlayers: 2\nhidden: 256\nheads: 4\nkv_heads: 2\nffn: 512\n"
                          "vocab: 1000\nmax_positions: 4096\nworkload: {phase: decode, kv_len: 64}\n"
                          "precision: {weights: int8, activations: int8}\npruning: {layers: 1}\n");
}

TEST(GeneratedDocs, EveryDeclaredModelKeyIsReadAndChecked) {
  int checked = 0;
  for (const Param& p : model_params()) {
    if (p.type == ParamType::text) continue;
    const std::string key = concrete(p);
    SCOPED_TRACE("--set model." + key + "=bogus");
    const test::RunResult r = test::run_catsim("info " + model_reading(key) + " --set model." + key + "=bogus");
    test::expect_one_line(r, 2, key.substr(key.rfind('.') + 1));
    EXPECT_EQ(r.err.find("unknown key"), std::string::npos) << r.err;
    ++checked;
  }
  EXPECT_GT(checked, 40);
}

}  // namespace
}  // namespace catsim
