// Per-op reports: each op's energy, SRAM traffic per buffer and DRAM reads/writes add up to the run's
// totals; --csv has the documented columns; --outdir writes ops.csv, summary.json and energy.csv.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"
#include "tests/support/run_json.h"

namespace catsim {
namespace {

std::string pair(const char* arch, const char* model) {
  return test::arch_config(std::string(arch) + ".yaml") + " " + test::model_config(std::string(model) + ".yaml");
}


class OpTotals : public ::testing::TestWithParam<std::string> {};

TEST_P(OpTotals, OpsAddUpToTheRun) {
  auto j = test::run_json(GetParam());
  ASSERT_FALSE(j.empty());
  std::uint64_t dram_r = 0, dram_w = 0;
  std::map<std::string, std::uint64_t> sram_r, sram_w;
  std::map<std::string, double> energy;
  double op_energy = 0;
  for (const auto& o : j["ops"]) {
    dram_r += o["dram_read_bytes"].get<std::uint64_t>();
    dram_w += o["dram_write_bytes"].get<std::uint64_t>();
    EXPECT_EQ(o["dram_read_bytes"].get<std::uint64_t>() + o["dram_write_bytes"].get<std::uint64_t>(),
              o["dram_bytes"].get<std::uint64_t>());
    for (const auto& [k, v] : o["sram_read_bytes"].items()) sram_r[k] += v.get<std::uint64_t>();
    for (const auto& [k, v] : o["sram_write_bytes"].items()) sram_w[k] += v.get<std::uint64_t>();
    for (const auto& [k, v] : o["energy_breakdown_j"].items()) energy[k] += v.get<double>();
    op_energy += o["energy_j"].get<double>();
  }
  EXPECT_EQ(dram_r, j["stats"]["dram_read_bytes"]["value"].get<std::uint64_t>());
  EXPECT_EQ(dram_w, j["stats"]["dram_write_bytes"]["value"].get<std::uint64_t>());
  for (const auto& [k, v] : j["stats"]["sram_read_bytes"]["value"].items()) EXPECT_EQ(sram_r[k], v.get<std::uint64_t>()) << k;
  for (const auto& [k, v] : j["stats"]["sram_write_bytes"]["value"].items()) EXPECT_EQ(sram_w[k], v.get<std::uint64_t>()) << k;
  // Every dynamic event of the run is some op's; static energy belongs to the run alone, and so (banked DRAM)
  // do the rows its transfers open, the refreshes and the standby power of its DRAM parts.
  double run_level = 0;
  for (const auto& [k, v] : j["energy_breakdown_j"].items()) {
    if (k.rfind("static.", 0) == 0 || k == "dram.activate" || k == "dram.refresh" || k == "dram.standby") {
      run_level += v.get<double>();
      continue;
    }
    EXPECT_NEAR(energy[k], v.get<double>(), 1e-9 * v.get<double>()) << k;
  }
  EXPECT_NEAR(op_energy + run_level, j["energy_j"].get<double>(), 1e-9 * j["energy_j"].get<double>());
}

INSTANTIATE_TEST_SUITE_P(Runs, OpTotals,
                         ::testing::Values(pair("edge_npu", "bert-base"), pair("datacenter", "llama-3-8b-decode"),
                                           pair("tpuv1", "vit-base"),
                                           pair("tpuv1", "vit-base") + " --set arch.dram.model=banked"));

TEST(OpReports, CsvHasTheDocumentedColumns) {
  test::RunResult r = test::run_catsim(pair("edge_npu", "gemms-vit-mlp") + " --csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header,
            "name,kind,shape,cycles,start_cycle,end_cycle,bound,macs,array_utilization,dram_bytes,dram_read_bytes,"
            "dram_write_bytes,compulsory_dram_bytes,global_read_bytes,global_write_bytes,sram_read_ifmap_bytes,"
            "sram_read_weight_bytes,"
            "sram_read_ofmap_bytes,sram_read_vector_bytes,sram_read_global_bytes,sram_write_ifmap_bytes,"
            "sram_write_weight_bytes,sram_write_ofmap_bytes,sram_write_vector_bytes,sram_write_global_bytes,energy_j,"
            "energy_array_j,energy_sram_j,energy_dram_j,energy_vector_j,energy_dma_j,fill_drain_cycles");
  int rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), 31) << line;  // 32 columns
  }
  EXPECT_EQ(rows, 4);
}

TEST(OpReports, OutdirHoldsOpsSummaryEnergyAndTrace) {
  const auto dir = test::scratch_dir() / "report";
  std::filesystem::remove_all(dir);
  const std::string args = pair("edge_npu", "bert-base");
  test::RunResult r = test::run_catsim(args + " --outdir " + dir.string() + " --trace trace.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("cycles"), std::string::npos);  // the terminal report still prints
  auto summary = nlohmann::json::parse(test::slurp((dir / "summary.json").string()));
  auto direct = test::run_json(args);
  summary.erase("command_line");
  direct.erase("command_line");
  EXPECT_EQ(summary, direct);
  EXPECT_EQ(test::slurp((dir / "ops.csv").string()), test::run_catsim(args + " --csv").out);
  const std::string energy = test::slurp((dir / "energy.csv").string());
  EXPECT_EQ(energy.rfind("event,energy_j,fraction\n", 0), 0u);
  EXPECT_NE(energy.find("\ntotal,"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir / "trace.json"));  // a relative --trace goes into the folder
  for (const auto& e : std::filesystem::directory_iterator(dir)) EXPECT_NE(e.path().extension(), ".tmp");
}

TEST(OpReports, UnwritableOutdirIsOneLineError) {
  test::RunResult r = test::run_catsim(pair("edge_npu", "bert-base") + " --outdir /nonexistent-dir/sub");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("command line: --outdir: cannot create or write directory /nonexistent-dir/sub"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace catsim
