// Results that say what produced them (version, command line, resolved arch and model), --dump-config
// files that re-run to the same JSON, and a command line that refuses or corrects what it cannot honour.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/paths.h"
#include "tests/support/expect_one_line.h"
#include "tests/support/run_catsim.h"
#include "tests/support/run_json.h"

namespace catsim {
namespace {



TEST(SelfDescribing, JsonNamesVersionCommandLineAndResolvedInputs) {
  auto j = test::run_json(test::shipped_arch("datacenter") + " " + test::shipped_model("llama-3-8b-decode") +
                    " --set model.workload.kv_len=300 --set arch.sram.kib=256 --set model.precision.kv_cache=int4");
  EXPECT_EQ(j["catsim_version"], "0.1.0");
  EXPECT_NE(j["command_line"].get<std::string>().find("--set model.workload.kv_len=300"), std::string::npos);
  const auto& a = j["resolved"]["arch"];
  EXPECT_EQ(a["sram"]["kib"], 256.0);  // --set applied over the file's 512
  EXPECT_EQ(a["systolic"]["rows"], 128);
  EXPECT_EQ(a["cores"], 4);
  EXPECT_EQ(a["dram"]["type"], "hbm2e");
  const auto& m = j["resolved"]["model"];
  EXPECT_EQ(m["workload"]["phase"], "decode");
  EXPECT_EQ(m["workload"]["kv_len"], 300);
  EXPECT_EQ(m["workload"]["batch"], 1);
  EXPECT_EQ(m["precision"]["kv_cache"], "int4");
  EXPECT_EQ(m["precision"]["accumulator"], "int32");
  EXPECT_EQ(m["parameters"], 8'030'261'248);
}

TEST(SelfDescribing, TextHeaderNamesPrecisionWorkloadArraySramAndDram) {
  test::RunResult r = test::run_catsim(test::shipped_arch("edge_npu") + " " + test::shipped_model("bert-base"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("workload    prefill, batch 1, seq_len 128 (bert)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("precision   weights int8, activations int8, kv_cache int8, accumulator int32"),
            std::string::npos);
  EXPECT_NE(r.out.find("hardware    1 core x 32x32 os array, 512 KiB SRAM per core, lpddr4 12.8 GB/s"),
            std::string::npos);
}

struct DumpCase {
  const char* name;
  std::string args;
};

class DumpConfig : public ::testing::TestWithParam<DumpCase> {};
void PrintTo(const DumpCase& c, std::ostream* os) { *os << c.name; }

// The dump is run from another directory (relative paths in it must not matter): identical JSON but the
// command line.
TEST_P(DumpConfig, ReRunsToIdenticalJson) {
  nlohmann::json first = test::run_json(GetParam().args);
  test::RunResult dump = test::run_catsim(GetParam().args + " --dump-config");
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  const std::string file = test::write_file(std::string(GetParam().name) + "_resolved.yaml", dump.out);
  nlohmann::json again = test::run_json(file);
  ASSERT_FALSE(again.empty());
  first.erase("command_line");
  again.erase("command_line");
  EXPECT_EQ(first, again) << dump.out;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DumpConfig,
    ::testing::Values(
        DumpCase{"bert_edge", test::shipped_arch("edge_npu") + " " + test::shipped_model("bert-base")},
        DumpCase{"preset_and_sets", test::write_file("preset_arch.yaml", "preset: edge_npu\nname: mine\nsram: {kib: 256}\n") +
                                        " " + test::shipped_model("clip-vit-b32") +
                                        " --set model.precision=int4 --set arch.vector.lanes=16"},
        DumpCase{"hf_json_decode", test::shipped_arch("datacenter") + " " + test::source_path("configs/models/hf/meta-llama-3-8b.json") +
                                       " --set model.workload.phase=decode --set model.workload.kv_len=64"},
        DumpCase{"pruned_split_precision", test::shipped_arch("tpuv1") + " " + test::shipped_model("bert-pruned") +
                                               " --set 'model.precision={weights: int8, activations: int8}'"},
        DumpCase{"gemm_list", test::shipped_arch("catransformers_baseline") + " " + test::shipped_model("gemms-vit-mlp")}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(FlagsBehave, PrecisionStudyJsonHasEachFullResultUnderRuns) {
  test::RunResult r =
      test::run_catsim(test::shipped_arch("edge_npu") + " " + test::shipped_model("gemm-bert-proj") + " --json --precisions int8,int4");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["runs"].size(), 2u);
  for (const auto& run : doc["runs"]) {
    for (const char* k : {"ops", "units", "stats", "energy_breakdown_j", "carbon", "resolved"})
      EXPECT_TRUE(run.contains(k)) << k;
    EXPECT_EQ(run["resolved"]["model"]["precision"]["weights"], run["precision"]);
  }
  EXPECT_EQ(doc["runs"][0]["energy_saved_fraction"], 0.0);  // the baseline against itself
  EXPECT_GT(doc["runs"][1]["energy_saved_fraction"].get<double>(), 0.0);
}

struct BadFlags {
  const char* name;
  std::string args;
  const char* message;
};

class FlagErrors : public ::testing::TestWithParam<BadFlags> {};
void PrintTo(const BadFlags& b, std::ostream* os) { *os << b.name; }

TEST_P(FlagErrors, ExitCode2AndOneLine) {
  test::expect_one_line(test::run_catsim(GetParam().args), 2, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FlagErrors,
    ::testing::Values(
        BadFlags{"mistyped_flag", test::shipped_arch("edge_npu") + " " + test::shipped_model("bert-base") + " --jsn",
                 "command line: --jsn: unknown option (did you mean --json?)"},
        BadFlags{"mistyped_info_flag", "info " + test::shipped_model("bert-base") + " --jsonn", "did you mean --json?"},
        BadFlags{"swapped", test::shipped_model("bert-base") + " " + test::shipped_arch("edge_npu"),
                 "this looks like a model file, not an arch file (ARCH and MODEL swapped?); usage: catsim ARCH MODEL"},
        BadFlags{"swapped_shipped_names", "bert-base edge_npu",
                 "this looks like a model file, not an arch file (ARCH and MODEL swapped?); usage: catsim ARCH MODEL"},
        BadFlags{"model_is_shipped_arch", "edge_npu tpuv1", "this looks like an arch file, not a model file"},
        BadFlags{"model_is_arch", test::shipped_arch("edge_npu") + " " + test::shipped_arch("tpuv1"),
                 "this looks like an arch file, not a model file"},
        BadFlags{"hf_json_as_arch", test::source_path("configs/models/hf/bert-base-uncased.json") + " " + test::shipped_arch("edge_npu"),
                 "this looks like a model file"},
        BadFlags{"missing_model", test::shipped_arch("edge_npu"), "MODEL: missing (usage: catsim ARCH MODEL"},
        BadFlags{"arch_set_on_model_info", "info " + test::shipped_model("bert-base") + " --set arch.cores=2",
                 "--set: arch.cores: catsim info of a model takes only --set model.KEY=VALUE"},
        BadFlags{"model_set_on_arch_info", "info " + test::shipped_arch("edge_npu") + " --set model.layers=2",
                 "--set: model.layers: catsim info of an arch takes only --set arch.KEY=VALUE"},
        BadFlags{"precisions_with_csv", test::shipped_arch("edge_npu") + " " + test::shipped_model("bert-base") + " --precisions int8 --csv",
                 "--precisions: cannot be combined with --csv"},
        BadFlags{"precisions_with_trace", test::shipped_arch("edge_npu") + " " + test::shipped_model("bert-base") + " --precisions int8 --trace t.json",
                 "--precisions: cannot be combined with --trace"},
        BadFlags{"precisions_with_detail", test::shipped_arch("edge_npu") + " " + test::shipped_model("bert-base") + " --precisions int8 --detail pe",
                 "--precisions: cannot be combined with --detail"},
        BadFlags{"set_error_names_set", test::shipped_arch("edge_npu") + " " + test::shipped_model("bert-base") + " --set arch.systolic.rows=abc",
                 "--set: systolic.rows: 'abc' is not an integer"},
        BadFlags{"set_bad_fraction", test::shipped_arch("edge_npu") + " " + test::shipped_model("bert-base") + " --set arch.systolic.precisions.fp16=1/0",
                 "--set: systolic.precisions.fp16: '1/0' is not a number"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(FlagsBehave, VersionAndHelp) {
  test::RunResult v = test::run_catsim("--version");
  EXPECT_EQ(v.exit_code, 0);
  // The build tree's binary reads the source tree's configs/ (CATSIM_SOURCE_DIR/configs).
  EXPECT_EQ(v.out, "catsim 0.1.0\ndata   " + std::string(CATSIM_SOURCE_DIR) + "/configs (build tree)\n");
  for (const char* h : {"help", "-h", "--help"}) {
    test::RunResult r = test::run_catsim(h);
    EXPECT_EQ(r.exit_code, 0) << h;
    for (const char* sub : {"catsim ARCH.yaml MODEL", "catsim info", "--dump-config", "--version"})
      EXPECT_NE(r.out.find(sub), std::string::npos) << h << " lacks " << sub;
  }
}

TEST(FlagsBehave, FractionalMacRateParsesAsTheReadmeSays) {
  // fp16: 1/4 and fp16: 0.25 are the same array: same cycles.
  const std::string a = test::write_file("frac_arch.yaml", "preset: edge_npu\nname: frac\nsystolic: {precisions: {fp16: 1/4}}\n");
  auto frac = test::run_json(a + " " + test::shipped_model("gemm-bert-proj") + " --set model.precision=fp16");
  auto dec = test::run_json(a + " " + test::shipped_model("gemm-bert-proj") + " --set model.precision=fp16 --set arch.systolic.precisions.fp16=0.25");
  EXPECT_EQ(frac["resolved"]["arch"]["systolic"]["precisions"]["fp16"], 0.25);
  EXPECT_EQ(frac["cycles"], dec["cycles"]);
}

}  // namespace
}  // namespace catsim
