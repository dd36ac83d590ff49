// The simulate command end to end: every shipped arch x model pair either runs or fails with a clear
// capacity/precision error; bad inputs exit 2 with one line; JSON, CSV and trace outputs are complete.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/expect_one_line.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {


TEST(SimulateCli, EveryShippedPairRunsOrSaysWhyNot) {
  for (const auto& a : std::filesystem::directory_iterator(test::source_path("configs/arch")))
    for (const auto& m : std::filesystem::directory_iterator(test::source_path("configs/models"))) {
      if (m.path().extension() != ".yaml") continue;
      test::RunResult r = test::run_catsim(a.path().string() + " " + m.path().string() + " --json");
      if (r.exit_code == 0) {
        auto j = nlohmann::json::parse(r.out);
        EXPECT_GT(j["cycles"].get<std::uint64_t>(), 0u) << a.path() << " " << m.path();
        continue;
      }
      EXPECT_EQ(r.exit_code, 2) << a.path() << " " << m.path() << ": " << r.err;
      const bool capacity = r.err.find("dram.capacity_gib") != std::string::npos;
      const bool precision = r.err.find("does not compute in") != std::string::npos;
      EXPECT_TRUE(capacity || precision) << r.err;
    }
}

TEST(SimulateCli, JsonHasTheDocumentedFields) {
  test::RunResult r = test::run_catsim(test::shipped_arch("edge_npu") + " " + test::shipped_model("bert-base") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  for (const char* k : {"cycles", "latency_s", "ops", "units", "stats"}) EXPECT_TRUE(j.contains(k)) << k;
  for (const char* k : {"name", "kind", "cycles", "start_cycle", "end_cycle", "bound"})
    EXPECT_TRUE(j["ops"][0].contains(k)) << k;
  EXPECT_EQ(j["stats"]["macs"]["value"].get<std::uint64_t>(), 11'174'215'680u);  // = catsim info's MACs
  EXPECT_EQ(j["stats"]["macs_by_precision"]["value"]["int8"].get<std::uint64_t>(), 11'174'215'680u);
  EXPECT_EQ(j["stats"]["dram_read_bytes"]["unit"], "byte");
  // latency = cycles / clock
  EXPECT_NEAR(j["latency_s"].get<double>(), j["makespan_cycles"].get<double>() / 800e6, 1e-12);
}

// An element-wise op whose row does not fit the scratchpad cuts it into equal pieces instead of refusing:
// Llama-3-8B decode's gate_mul reads two INT8 rows of 14,336 and writes one, 2 x 43,008 = 86,016 bytes
// double-buffered, more than 64 KiB; two pieces of 7,168 need 43,008. The work is the same: 14,336 mul
// element ops, 28,672 bytes read and 14,336 written through the global buffer.
TEST(SimulateCli, ElementwiseRowTooLongIsCutIntoPieces) {
  test::RunResult r = test::run_catsim(test::shipped_arch("catransformers_baseline") + " " + test::shipped_model("llama-3-8b-decode") +
                                       " --json --set model.precision=int8 --set arch.sram.kib=64"
                                       " --set arch.dram.capacity_gib=32");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto op =
      std::find_if(j["ops"].begin(), j["ops"].end(), [](const auto& o) { return o["name"] == "L0.ffn.gate_mul"; });
  ASSERT_NE(op, j["ops"].end());
  EXPECT_EQ((*op)["tiling"], "rows cut into 2 pieces of 7168; 2 piece(s) per core in chunks of 1");
  EXPECT_EQ((*op)["global_read_bytes"].get<std::uint64_t>(), 28'672u);
  EXPECT_EQ((*op)["global_write_bytes"].get<std::uint64_t>(), 14'336u);
  // A row reduction still needs its whole row: a LayerNorm row of 768 INT8 in and out is 2 x (768 + 768)
  // = 3,072 bytes double-buffered, more than 1 KiB.
  test::RunResult s = test::run_catsim(test::shipped_arch("edge_npu") + " " + test::shipped_model("bert-base") + " --set arch.sram.kib=1");
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_NE(s.err.find("embed.layernorm (128x768) cannot fit one row: needs 3072 bytes"), std::string::npos)
      << s.err;
}

TEST(SimulateCli, CsvHasOneRowPerOp) {
  test::RunResult r = test::run_catsim(test::shipped_arch("edge_npu") + " " + test::shipped_model("gemms-vit-mlp") + " --csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 5);  // header + 4 GEMMs
  EXPECT_EQ(r.out.rfind("name,kind,shape,cycles", 0), 0u);
}

TEST(SimulateCli, TraceIsTraceEventJsonWithUnitTracksAndDramCounter) {
  std::string trace = (test::scratch_dir() / "trace.json").string();
  test::RunResult r = test::run_catsim(test::shipped_arch("catransformers_baseline") + " " + test::shipped_model("gemm-bert-proj") + " --trace " + trace);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(test::slurp(trace));
  bool slice = false, counter = false, array_track = false;
  for (const auto& e : j["traceEvents"]) {
    slice |= e["ph"] == "X";
    counter |= e["ph"] == "C" && e["name"] == "DRAM bandwidth";
    array_track |= e["ph"] == "M" && e["name"] == "thread_name" && e["args"]["name"] == "array";
  }
  EXPECT_TRUE(slice && counter && array_track);
}

TEST(SimulateCli, DetailPeMatchesTheClosedFormAndWritesVcd) {
  std::string g = test::write_file("pe_gemm.yaml", "kind: gemm\nm: 40\nn: 24\nk: 70\nprecision: int4\n");
  std::string vcd = (test::scratch_dir() / "pe.vcd").string();
  test::RunResult r = test::run_catsim(test::shipped_arch("edge_npu") + " " + g + " --json --detail pe --vcd " + vcd);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto row = nlohmann::json::parse(r.out)["pe_detail"][0];
  // 32x32 OS pipelined, int4 packs 2: T = 35, folds 2 x 1 -> T + (F-2)*max(T,R) + (T+R+C-2) = 35 + 0 + 97 = 132
  EXPECT_EQ(row["engine_cycles"].get<std::uint64_t>(), 132u);
  EXPECT_EQ(row["pe_cycles"], row["engine_cycles"]);
  EXPECT_EQ(row["commands_matching"], row["commands"]);
  EXPECT_TRUE(row["outputs_match"].get<bool>());
  EXPECT_TRUE(row["agrees"].get<bool>());
  EXPECT_EQ(test::slurp(vcd).rfind("$version", 0), 0u);
}

TEST(SimulateCli, DetailPeRefusesHugeShapes) {
  test::RunResult r = test::run_catsim(test::shipped_arch("datacenter") + " " + test::shipped_model("llama-2-7b-prefill") + " --detail pe");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("PE-steps, more than"), std::string::npos) << r.err;
}

TEST(SimulateCli, PrecisionStudyRunsEachPrecisionInItsOwnChild) {
  test::RunResult r =
      test::run_catsim(test::shipped_arch("edge_npu") + " " + test::shipped_model("gemm-bert-proj") + " --json --precisions fp32,int8,int4");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["baseline"], "int8");
  auto rows = doc["runs"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_FALSE(rows[0]["ok"].get<bool>());  // the edge NPU has no fp32 datapath
  EXPECT_NE(rows[0]["error"].get<std::string>().find("does not compute in fp32"), std::string::npos);
  ASSERT_TRUE(rows[1]["ok"].get<bool>() && rows[2]["ok"].get<bool>());
  // int4 packs two MACs per PE and halves every byte: fewer cycles, less energy
  EXPECT_LT(rows[2]["cycles"].get<double>(), rows[1]["cycles"].get<double>());
  EXPECT_LT(rows[2]["energy_j"].get<double>(), rows[1]["energy_j"].get<double>());
  // int4 fits every operand once: (128*768 + 768*768 + 128*768) / 2 bytes = 393,216
  EXPECT_EQ(rows[2]["dram_bytes"].get<std::uint64_t>(), 393'216u);
  // int8 moves each operand at least once: 128*768 + 768*768 + 128*768 = 786,432 bytes
  EXPECT_GE(rows[1]["dram_bytes"].get<std::uint64_t>(), 786'432u);
}

TEST(SimulateCli, DegenerateArrayKeepsTheProgramSmall) {
  // A 1x1 array has no fill/drain cost, so ever smaller tiles look (slightly) faster; the tiler must not
  // trade a few percent for millions of commands.
  test::RunResult r = test::run_catsim(test::shipped_arch("datacenter") + " " + test::shipped_model("gemms-vit-mlp") +
                                       " --json --set arch.systolic.rows=1 --set arch.systolic.cols=1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(nlohmann::json::parse(r.out)["stats"]["commands"]["value"].get<std::uint64_t>(), 100'000u);
}

// mapper.objective energy ranks a matmul's candidates by their energy alone at the design's prices: the
// resolved arch reports the objective, and on the 128x768x768 GEMM the energy choice's whole-run energy is
// no more than the latency choice's (the GEMM is one op, so its energy alone is the run's).
TEST(SimulateCli, MapperObjectiveEnergyNeverCostsMoreOnALoneGemm) {
  auto run = [&](const char* objective) {
    const test::RunResult r = test::run_catsim(test::shipped_arch("edge_npu") + " " + test::shipped_model("gemm-bert-proj") +
                                               " --json --set arch.mapper.objective=" + objective);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  };
  const nlohmann::json latency = run("latency"), energy = run("energy"), edp = run("edp");
  EXPECT_EQ(energy["resolved"]["arch"]["mapper"]["objective"], "energy");
  EXPECT_EQ(latency["resolved"]["arch"]["mapper"]["objective"], "latency");
  EXPECT_LE(energy["energy_j"].get<double>(), latency["energy_j"].get<double>());
  EXPECT_LE(latency["cycles"].get<std::uint64_t>(), energy["cycles"].get<std::uint64_t>());
  EXPECT_LE(edp["energy_j"].get<double>() * edp["cycles"].get<double>(),
            latency["energy_j"].get<double>() * latency["cycles"].get<double>());
}

// The array's bound classes: Llama-3-8B decode's projections are GEMVs (one row of the 128 x 128 array
// works, 0.7 % utilization): `intake`; BERT-base's FFN on edge_npu keeps the array doing MACs: `compute`.
TEST(SimulateCli, DecodeGemvIsIntakeBound) {
  auto bounds = [](const std::string& a, const std::string& m) {
    const test::RunResult r = test::run_catsim(test::shipped_arch(a) + " " + test::shipped_model(m) + " --json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::string> out;
    const nlohmann::json result = nlohmann::json::parse(r.out);
    for (const auto& op : result["ops"]) out[op["name"].get<std::string>()] = op["bound"].get<std::string>();
    return out;
  };
  const auto decode = bounds("datacenter", "llama-3-8b-decode");
  for (const char* op : {"L0.attn.q_proj", "L0.attn.o_proj", "L0.ffn.up", "L0.ffn.down"}) EXPECT_EQ(decode.at(op), "intake") << op;
  EXPECT_EQ(bounds("edge_npu", "bert-base").at("L0.ffn.up"), "compute");
}

// Dispatch: `catsim help COMMAND` prints that command's options; a mistyped command and a space file given
// where an arch or model belongs are named as such in one line, not read as an arch file key by key.
TEST(SimulateCli, HelpOfACommandAndMisdirectedInput) {
  const test::RunResult help = test::run_catsim("help search");
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("Usage: catsim search [OPTIONS] space"), std::string::npos) << help.out;
  test::expect_one_line(test::run_catsim("serach s.yaml --out x"), 2,
                        "'serach' is not a command (did you mean 'catsim search'?");
  test::expect_one_line(test::run_catsim("help nope"), 2, "help: no command 'nope'");
  const std::string space = test::source_path("configs/spaces/catransformers-bert-hw.yaml");
  test::expect_one_line(test::run_catsim("info " + space), 2, "this is a search space file, not an arch or a model");
  test::expect_one_line(test::run_catsim(space + " " + test::shipped_model("bert-base")), 2,
                        "this is a search space file, not an arch or a model; run it with catsim search");
}

struct BadRun {
  const char* name;
  const char* args;     // appended after the arch and model
  const char* arch;
  const char* model;
  const char* message;  // fragment of the one-line error
};

class SimulateBadInput : public ::testing::TestWithParam<BadRun> {};

void PrintTo(const BadRun& b, std::ostream* os) { *os << b.name; }

TEST_P(SimulateBadInput, ExitCode2AndOneLine) {
  const BadRun& b = GetParam();
  test::RunResult r = test::run_catsim(test::shipped_arch(b.arch) + " " + test::shipped_model(b.model) + " " + b.args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(b.message), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SimulateBadInput,
    ::testing::Values(
        BadRun{"tile_cannot_fit", "--set arch.sram.kib=0.01", "edge_npu", "gemm-bert-proj",
               "sram.kib: bert_proj (128x768 * 768x768) cannot fit its smallest tile"},
        BadRun{"unsupported_precision", "--set model.precision=fp16", "tpuv1", "bert-base",
               "systolic.precisions: tpuv1 does not compute in fp16"},
        BadRun{"kv_cache_overflow", "--set model.workload.batch=64 --set model.workload.kv_len=8192", "datacenter",
               "llama-3-8b-decode", "dram.capacity_gib: KV cache overflow: the cache needs 68719476736 bytes (64.00 GiB)"},
        BadRun{"model_too_large", "", "edge_npu", "llama-2-7b-prefill",
               "dram.capacity_gib: model llama-2-7b needs 13476831232 bytes (12.55 GiB) of weights, DRAM holds "
               "4294967296 bytes (4.00 GiB)"},
        BadRun{"json_and_csv", "--json --csv", "edge_npu", "bert-base", "choose one of --json and --csv"},
        BadRun{"program_too_large",
               "--set arch.systolic.rows=1 --set arch.systolic.cols=1 --set arch.sram.kib=256", "datacenter",
               "llama-2-7b-prefill", "sram.kib: the program exceeds 4000000 tile commands"},
        BadRun{"trace_unwritable", "--trace /nonexistent-dir/t.json", "edge_npu", "bert-base",
               "--trace: cannot write /nonexistent-dir/t.json"},
        BadRun{"vcd_without_detail", "--vcd x.vcd", "edge_npu", "bert-base", "--vcd: needs --detail pe"},
        BadRun{"unknown_mapper_objective", "--set arch.mapper.objective=fast", "edge_npu", "gemm-bert-proj",
               "mapper.objective"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace catsim
