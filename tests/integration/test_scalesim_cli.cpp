// `catsim scalesim` through the built command line: SCALE-Sim v2's six reference rows reproduced from its
// own input formats (shared/reference/scalesim_v2_reference.csv), its report columns, a topology CSV as the
// main command's MODEL, its COMPUTE_REPORT.csv as --against, and one-line errors for bad files.

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/scalesim_params.h"
#include "tests/support/expect_one_line.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

using test::run_catsim;
using test::write_file;

// 32x32, 64 kB per SRAM, CALC mode: the setting of the reference runs.
std::string cfg(const std::string& df) {
  return write_file("ref_" + df + ".cfg",
                    "[general]\nrun_name = ref_" + df +
                        "\n\n[architecture_presets]\nArrayHeight:    32\nArrayWidth:     32\nIfmapSramSzkB:   64\n"
                        "FilterSramSzkB:  64\nOfmapSramSzkB:   64\nIfmapOffset:    0\nFilterOffset:   10000000\n"
                        "OfmapOffset:    20000000\nBandwidth : 10\nDataflow : " + df +
                        "\nMemoryBanks: 1\n\n[run_presets]\nInterfaceBandwidth: CALC\n");
}
std::string topology() { return write_file("ref.csv", "Layer, M, N, K,\ngemm64, 64, 64, 64,\nbert_proj, 128, 768, 768,\n"); }

struct Row {
  const char* dataflow;
  const char* gemm64;  // the COMPUTE_REPORT rows SCALE-Sim v2 printed (to its 2 decimals: 503, 50.89, 100.0, 50.79)
  const char* bert;
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.dataflow; }

class ScaleSimCli : public ::testing::TestWithParam<Row> {};

TEST_P(ScaleSimCli, ReproducesTheReferenceRows) {
  const Row& row = GetParam();
  const std::string dir = (test::scratch_dir() / (std::string("out_") + row.dataflow)).string();
  const auto r = run_catsim("scalesim " + cfg(row.dataflow) + " " + topology() + " --outdir " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string report = test::slurp(dir + "/COMPUTE_REPORT.csv");
  EXPECT_EQ(report, std::string("LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n") +
                        row.gemm64 + "\n" + row.bert + "\n");
  const std::string bw = test::slurp(dir + "/BANDWIDTH_REPORT.csv");
  EXPECT_EQ(bw.rfind("LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, Avg IFMAP DRAM BW, "
                     "Avg FILTER DRAM BW, Avg OFMAP DRAM BW,\n0, ", 0), 0u);
  // The report as --against: SCALE-Sim's Total Cycles + 1 against the layers' spans.
  const auto v = run_catsim("validate " + dir + "/catsim_arch.yaml " + topology() + " --against " + dir +
                            "/COMPUTE_REPORT.csv --json");
  ASSERT_EQ(v.exit_code, 0) << v.err;
  const auto j = nlohmann::json::parse(v.out);
  EXPECT_EQ(j["estimator"], "scalesim");
  EXPECT_EQ(j["ops"][0]["error"].get<double>(), 0.0);  // the first layer starts at cycle 0 in both tools
}

// Overall util = MACs / (R x C x Total Cycles): 64^3 / (1024 x 503) = 50.8946 %; compute util per fold
// T / (R + C + T - 2) = 64 / 126 = 50.7937 % (OS) and T / (2R + 2C + T - 3) = 64 / 189 = 33.8624 % (WS, IS).
INSTANTIATE_TEST_SUITE_P(
    Dataflows, ScaleSimCli,
    ::testing::Values(Row{"os", "0, 503, 0, 50.8946, 100.0000, 50.7937,", "1, 79679, 0, 92.5313, 100.0000, 92.5301,"},
                      Row{"ws", "0, 631, 0, 40.5705, 100.0000, 33.8624,", "1, 127871, 0, 57.6581, 100.0000, 50.5929,"},
                      Row{"is", "0, 631, 0, 40.5705, 100.0000, 33.8624,", "1, 82751, 0, 89.0962, 100.0000, 86.0022,"}),
    [](const auto& info) { return std::string(info.param.dataflow); });

// SCALE-Sim's CALC cycles do not depend on its buffer sizes, so neither may catsim's: a small ofmap buffer
// cuts the stream into chunks that continue their folds (partial sums spill, which ideal memory does not
// charge) instead of reloading folds or narrowing them, and a 1 KB filter buffer holds one 32x32 fold of
// INT8 filters single-buffered (the next fold loads after it) instead of running half folds. AlexNet Conv1 (224x224x3, 96 filters of 11x11,
// stride 4) is the GEMM 3025 x 96 x 363; WS on 32x32: ceil(363/32) x ceil(96/32) = 12 x 3 = 36 folds of
// 2R + C + T - 2 = 64 + 32 + 3025 - 2 = 3,119 cycles = 112,284, reported as 112,283 (the last cycle's index).
TEST(ScaleSimCliInputs, SmallBuffersKeepTheCalcCycles) {
  const std::string topo = write_file("alexnet_conv1.csv",
                                      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
                                      "Num Filter, Strides,\nConv1, 224, 224, 11, 11, 3, 96, 4,\n");
  for (const char* kb : {"64 64 2", "1 1 1", "2 2 2", "4 4 4", "16 16 16"}) {
    std::istringstream in(kb);
    std::string ifmap, filter, ofmap;
    in >> ifmap >> filter >> ofmap;
    const std::string name = "small_" + ifmap + "_" + filter + "_" + ofmap;
    const std::string config = write_file(
        name + ".cfg", "[general]\nrun_name = " + name + "\n\n[architecture_presets]\nArrayHeight: 32\nArrayWidth: 32\n"
                           "IfmapSramSzkB: " + ifmap + "\nFilterSramSzkB: " + filter + "\nOfmapSramSzkB: " + ofmap +
                           "\nIfmapOffset: 0\nFilterOffset: 10000000\nOfmapOffset: 20000000\nBandwidth : 10\n"
                           "Dataflow : ws\nMemoryBanks: 1\n\n[run_presets]\nInterfaceBandwidth: CALC\n");
    const std::string dir = (test::scratch_dir() / name).string();
    const auto r = run_catsim("scalesim " + config + " " + topo + " --outdir " + dir);
    ASSERT_EQ(r.exit_code, 0) << kb << ": " << r.err;
    const std::string report = test::slurp(dir + "/COMPUTE_REPORT.csv");
    EXPECT_NE(report.find("\n0, 112283, 0, "), std::string::npos) << kb << " KB:\n" << report;
    // Each fold of filters is placed once and stays while its stream chunks pass: every filter byte is read
    // from the scratchpad once, 363 x 96 = 34,848 bytes (not once per chunk).
    const auto j = run_catsim(dir + "/catsim_arch.yaml " + topo + " --json");
    ASSERT_EQ(j.exit_code, 0) << j.err;
    const auto weight = nlohmann::json::parse(j.out)["ops"][0]["sram_read_bytes"]["weight"];
    EXPECT_EQ(weight.get<std::uint64_t>(), 34'848u) << kb;
  }
}

// The Total Cycles column of a COMPUTE_REPORT.csv, one entry per layer.
std::vector<std::string> total_cycles(const std::string& report) {
  std::vector<std::string> out;
  std::istringstream in(report);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    const auto a = line.find(", "), b = line.find(',', a + 2);
    if (a != std::string::npos && b != std::string::npos) out.push_back(line.substr(a + 2, b - a - 2));
  }
  return out;
}

// Every layer of SCALE-Sim's own AlexNet, ResNet-18 and MobileNet topologies, in every dataflow on a 32x32
// array, runs the same CALC cycles with 1 KB buffers (the smallest SCALE-Sim accepts) as with 64 KB: a fold
// that cannot be double-buffered is held single-buffered, never narrowed or reloaded.
TEST(ScaleSimCliInputs, OneKilobyteBuffersKeepEveryLayersCalcCycles) {
  const std::string data = test::source_path("tests/data/scalesim/");
  for (const char* df : {"os", "ws", "is"})
    for (const char* topo : {"alexnet.csv", "Resnet18.csv", "mobilenet.csv"}) {
      std::vector<std::string> cycles[2];
      for (int small = 0; small < 2; ++small) {
        const std::string kb = small ? "1" : "64", name = std::string("kb") + kb + "_" + df + "_" + topo;
        const std::string config = write_file(
            name + ".cfg", "[general]\nrun_name = " + name + "\n\n[architecture_presets]\nArrayHeight: 32\n"
                           "ArrayWidth: 32\nIfmapSramSzkB: " + kb + "\nFilterSramSzkB: " + kb + "\nOfmapSramSzkB: " + kb +
                           "\nIfmapOffset: 0\nFilterOffset: 10000000\nOfmapOffset: 20000000\nBandwidth : 10\n"
                           "Dataflow : " + df + "\nMemoryBanks: 1\n\n[run_presets]\nInterfaceBandwidth: CALC\n");
        const std::string dir = (test::scratch_dir() / name).string();
        const auto r = run_catsim("scalesim " + config + " " + data + topo + " --outdir " + dir);
        ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
        cycles[small] = total_cycles(test::slurp(dir + "/COMPUTE_REPORT.csv"));
      }
      ASSERT_FALSE(cycles[0].empty()) << df << " x " << topo;
      EXPECT_EQ(cycles[1], cycles[0]) << df << " x " << topo << ": 1 KB against 64 KB buffers";
    }
}

TEST(ScaleSimCliInputs, TopologyCsvIsAModel) {
  const std::string dir = (test::scratch_dir() / "out_model").string();
  ASSERT_EQ(run_catsim("scalesim " + cfg("os") + " " + topology() + " --outdir " + dir).exit_code, 0);
  const auto r = run_catsim(dir + "/catsim_arch.yaml " + topology() + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["ops"].size(), 2u);
  EXPECT_EQ(j["ops"][1]["name"], "bert_proj");
  EXPECT_EQ(j["cycles"].get<std::uint64_t>(), 503u + 1 + 79'679);  // two layers back to back, one index
}

TEST(ScaleSimCliInputs, ConvTopologyLowered) {
  const std::string conv = write_file(
      "conv.csv",
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
      "Inc5b_3x3, 7, 7, 3, 3, 192, 384, 1,\n");
  const std::string dir = (test::scratch_dir() / "out_conv").string();
  const auto r = run_catsim("scalesim " + cfg("os") + " " + conv + " --outdir " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // M = 5 x 5 = 25, N = 384, K = 3 x 3 x 192 = 1728 on 32x32 OS: 1 x 12 folds of R + C + T - 2 = 1790
  // cycles: 12 x 1790 - 1 = 21,479.
  EXPECT_NE(r.out.find("25x384x1728"), std::string::npos);
  const std::string report = test::slurp(dir + "/COMPUTE_REPORT.csv");
  EXPECT_EQ(report.substr(report.find('\n') + 1, 10), "0, 21479, ");
}

// Lines of a file that hold something (a trailing blank line is not a layer).
std::size_t non_empty_lines(const std::string& text) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.find_first_not_of(" \t\r") != std::string::npos;
  return n;
}

TEST(ScaleSimCliInputs, ScaleSimsOwnShippedInputsRun) {
  // tests/data/scalesim: three of SCALE-Sim v2's configs and five of its topologies, as its authors wrote them.
  const std::string data = test::source_path("tests/data/scalesim/");
  for (const char* config : {"scale.cfg", "google.cfg", "eyeriss.cfg"}) {
    for (const char* topo : {"alexnet.csv", "Resnet18.csv", "mobilenet.csv", "gpt2.csv", "gnmt.csv"}) {
      const std::string dir = (test::scratch_dir() / (std::string("real_") + config + "_" + topo)).string();
      const auto r = run_catsim("scalesim " + data + config + " " + data + topo + " --outdir " + dir);
      if (std::string(config) == "eyeriss.cfg" && std::string(topo) == "gnmt.csv") {
        // A documented limit: layer 13 (1024 x 1632 x 36548) on a 12 x 14 array with 36 KB buffers needs more
        // than the 4 M tile commands a compiled program may hold; refused in one line, not run half-way.
        test::expect_one_line(r, 2, "exceeds 4000000 tile commands at 13");
        continue;
      }
      ASSERT_EQ(r.exit_code, 0) << config << " x " << topo << ": " << r.err;
      // The report has its header and one row per layer of the topology (whose first line is its header too).
      EXPECT_EQ(non_empty_lines(test::slurp(dir + "/COMPUTE_REPORT.csv")), non_empty_lines(test::slurp(data + topo)))
          << config << " x " << topo;
    }
  }
  // AlexNet's Conv1 on scale.cfg (32 x 32 OS, CALC): SCALE-Sim's output side is ceil((224 - 11 + 4) / 4) = 55, so
  // M = 55 x 55 = 3025, N = 96 filters, K = 11 x 11 x 3 = 363; ceil(3025 / 32) x ceil(96 / 32) = 95 x 3 = 285
  // folds of R + C + K - 2 = 425 cycles: 285 x 425 - 1 = 121,124.
  const std::string dir = (test::scratch_dir() / "real_scale.cfg_alexnet.csv").string();
  const std::string report = test::slurp(dir + "/COMPUTE_REPORT.csv");
  EXPECT_EQ(report.substr(report.find('\n') + 1, 10), "0, 121124,");
}

TEST(ScaleSimCliInputs, BadFilesAreOneLineErrors) {
  const std::string dir = (test::scratch_dir() / "out_bad").string();
  const std::string bad_cfg = write_file("bad.cfg", "[architecture_presets]\nArrayHeight: 32\nArrayWidth: 32\n"
                                                    "IfmapSramSzkB: 64\nFilterSramSzkB: 64\nOfmapSramSzkB: 64\n"
                                                    "Dataflow: diagonal\n");
  test::expect_one_line(run_catsim("scalesim " + bad_cfg + " " + topology() + " --outdir " + dir), 2,
                        "bad.cfg:7:1: Dataflow: unknown dataflow 'diagonal'");
  test::expect_one_line(run_catsim("scalesim " + test::shipped_arch("edge_npu") + " " + topology() + " --outdir " + dir),
                        2, "edge_npu.yaml: this is an arch.yaml, not a SCALE-Sim .cfg");
  test::expect_one_line(run_catsim("scalesim " + test::source_path("configs/spaces/catransformers-bert-hw.yaml") + " " +
                                   topology() + " --outdir " + dir),
                        2, "this is a search space file");
  const std::string bad_csv = write_file("bad.csv", "Layer, M, N, K,\na, 1, 2, 3,\nb, 4, five, 6,\n");
  test::expect_one_line(run_catsim("scalesim " + cfg("os") + " " + bad_csv + " --outdir " + dir), 2,
                        "bad.csv:3:1: N: 'five' is not an integer");
  test::expect_one_line(run_catsim("scalesim " + cfg("os") + " " + bad_csv.substr(0, bad_csv.size() - 4) + ".yaml" +
                                   " --outdir " + dir),
                        2, "expected a SCALE-Sim topology .csv file");
}

// Every key catsim reads from a .cfg (api/scalesim_params.h), in SCALE-Sim's own scale.cfg, set beyond its range
// at full width (2^31, 2^32, 2^63 - 1, 2^64, -1 for an integer; NaN, +-inf, 1e308, -1 for a number; an unknown
// word for a choice): exit 2 and one line naming the file, the line and the key, never a narrowed value.
TEST(ScaleSimCliInputs, EveryDeclaredCfgKeyIsCheckedAtFullWidth) {
  const std::string real = test::slurp(test::source_path("tests/data/scalesim/scale.cfg"));
  const std::string dir = (test::scratch_dir() / "out_cfg_keys").string();
  int checked = 0;
  for (const Param& p : scalesim_params()) {
    if (p.type == ParamType::text) continue;
    const std::string key(p.path.substr(p.path.find('.') + 1));
    const std::vector<std::string> values =
        p.type == ParamType::integer  ? std::vector<std::string>{"2147483648", "4294967296", "9223372036854775807",
                                                                 "18446744073709551616", "-1"}
        : p.type == ParamType::choice ? std::vector<std::string>{"bogus"}
                                      : std::vector<std::string>{"nan", "inf", "-inf", "1e308", "-1"};
    const std::size_t at = real.find(key);
    ASSERT_NE(at, std::string::npos) << key << " is not in scale.cfg";
    const std::size_t value = real.find_first_not_of(" :=", at + key.size()), end = real.find('\n', at);
    for (const std::string& v : values) {
      SCOPED_TRACE(key + " = " + v);
      const std::string file = write_file("keys.cfg", real.substr(0, value) + v + real.substr(end));
      const test::RunResult r = run_catsim("scalesim " + file + " " + topology() + " --outdir " + dir);
      test::expect_one_line(r, 2, "keys.cfg:");
      EXPECT_NE(r.err.find(": " + key + ": "), std::string::npos) << r.err;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 5 * 6 + 2);  // six numeric keys, two choices
}

}  // namespace
}  // namespace catsim
