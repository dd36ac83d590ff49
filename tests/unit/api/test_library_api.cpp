// The library API (api/) gives what the command line prints: simulate's document byte for byte equal to
// `catsim ARCH MODEL --json` (cycle-level, analytic, with overrides, from a --dump-config file), info's to
// `catsim info --json`, a sweep's rows to `catsim sweep --json`; bad input is a ChildFailure carrying the
// command line's own one-line message.

#include <gtest/gtest.h>

#include "api/child_failure.h"
#include "api/info.h"
#include "api/simulate.h"
#include "api/sweep.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

// The command line `catsim ARGS` records (run_catsim runs the binary by its absolute path).
std::string recorded(const std::string& args) { return std::string(CATSIM_BINARY) + " " + args; }

SimulateRequest request(const std::string& arch, const std::string& model, std::vector<std::string> set = {},
                        Fidelity fidelity = Fidelity::cycle) {
  SimulateRequest r;
  r.design = {arch, model, std::move(set)};
  r.fidelity = fidelity;
  return r;
}

void expect_document_as_printed(const SimulateRequest& given, const std::string& args) {
  const test::RunResult cli = test::run_catsim(args);
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  SimulateRequest r = given;
  r.command_line = recorded(args);
  const SimulateResult api = simulate_in_child(r);
  EXPECT_EQ(api.document.dump(2) + "\n", cli.out) << args;
}

TEST(LibraryApi, SimulateGivesTheDocumentTheCommandLinePrints) {
  expect_document_as_printed(request("edge_npu", "bert-base"), "edge_npu bert-base --json");
  expect_document_as_printed(request("datacenter", "llama-3-8b-decode", {}, Fidelity::roofline),
                             "datacenter llama-3-8b-decode --json --fidelity analytic");
  expect_document_as_printed(request("tpuv1", "gemm-bert-proj", {"arch.systolic.rows=64", "model.precision=int8"}),
                             "tpuv1 gemm-bert-proj --json --set arch.systolic.rows=64 --set model.precision=int8");
}

TEST(LibraryApi, SimulateReadsADumpConfigFileAlone) {
  const test::RunResult dumped = test::run_catsim("edge_npu gemm-bert-proj --dump-config");
  ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
  const std::string file = test::write_file("bundle.yaml", dumped.out);
  expect_document_as_printed(request(file, ""), file + " --json");
}

TEST(LibraryApi, BadInputIsAChildFailureWithTheCommandLinesMessage) {
  const std::string args = "edge_npu bert-base --json --set arch.cores=-1";
  const test::RunResult cli = test::run_catsim(args);
  ASSERT_EQ(cli.exit_code, 2);
  try {
    simulate_in_child(request("edge_npu", "bert-base", {"arch.cores=-1"}));
    FAIL() << "no ChildFailure";
  } catch (const ChildFailure& e) {
    EXPECT_TRUE(e.config);
    EXPECT_EQ(std::string(e.what()) + "\n", test::without_sanitizer_notes(cli.err));
  }
}

TEST(LibraryApi, InfoGivesTheDocumentTheCommandLinePrints) {
  for (const char* file : {"llama-3-8b-decode", "tpuv1"}) {
    const test::RunResult cli = test::run_catsim(std::string("info ") + file + " --json");
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(info_document(load_info_subject(file, {})).dump(2) + "\n", cli.out) << file;
  }
}

TEST(LibraryApi, SweepRowsAreTheCommandLines) {
  const test::RunResult cli =
      test::run_catsim("sweep edge_npu gemm-bert-proj --vary arch.systolic.rows=8,16 --vary arch.cores=1:2 --json --quiet");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  SweepRequest r;
  r.design = {"edge_npu", "gemm-bert-proj", {}};
  r.vary = {"arch.systolic.rows=8,16", "arch.cores=1:2"};
  const Sweep sweep(r);
  ASSERT_EQ(sweep.points(), 4u);  // 2 row counts x 2 core counts
  std::uint64_t seen = 0;
  const std::vector<PointResult> results = sweep.run([&](std::uint64_t, const PointResult&) { ++seen; });
  EXPECT_EQ(seen, 4u);
  EXPECT_EQ(sweep.rows(results).dump(2) + "\n", cli.out);
}

}  // namespace
}  // namespace catsim
