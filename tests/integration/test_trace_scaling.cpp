// Traces that scale: --trace-ops and --trace-window keep exactly the matching commands, --trace - streams
// the trace to stdout, and bad filter values are one-line errors.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

const std::string kArgs = test::arch_config("edge_npu.yaml") + " " + test::model_config("bert-base.yaml");

nlohmann::json trace_of(const std::string& extra) {
  test::RunResult r = test::run_catsim(kArgs + " --trace - " + extra);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
}

// Slices of tile commands (the op track's slices, category "op", summarize them).
std::vector<nlohmann::json> slices(const nlohmann::json& t) {
  std::vector<nlohmann::json> out;
  for (const auto& e : t["traceEvents"])
    if (e["ph"] == "X" && e["cat"] != "op") out.push_back(e);
  return out;
}

TEST(TraceScaling, StdoutTraceIsTheWholeTrace) {
  const auto all = slices(trace_of(""));
  test::RunResult r = test::run_catsim(kArgs + " --json");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(all.size(), nlohmann::json::parse(r.out)["stats"]["commands"]["value"].get<std::size_t>());
}

TEST(TraceScaling, OpsFilterKeepsExactlyTheMatchingOps) {
  const auto all = slices(trace_of(""));
  const auto kept = slices(trace_of("--trace-ops 'L1[01]\\.ffn'"));
  const std::regex re("L1[01]\\.ffn");
  std::size_t expected = 0;
  for (const auto& e : all) expected += std::regex_search(e["name"].get<std::string>(), re);
  EXPECT_GT(expected, 0u);
  EXPECT_EQ(kept.size(), expected);
  for (const auto& e : kept) EXPECT_TRUE(std::regex_search(e["name"].get<std::string>(), re)) << e["name"];
}

TEST(TraceScaling, WindowKeepsCommandsOverlappingIt) {
  // edge_npu runs at 800 MHz: 1 cycle = 1/800 us; the window 2,000,000:2,400,000 cycles is 2500..3000 us.
  const auto all = slices(trace_of(""));
  auto t = trace_of("--trace-window 2000000:2400000");
  const auto kept = slices(t);
  std::size_t expected = 0;
  for (const auto& e : all) {
    const double s = e["ts"], d = e["dur"];
    expected += s + d >= 2500.0 - 1e-9 && s < 3000.0 - 1e-9;
  }
  EXPECT_GT(expected, 0u);
  EXPECT_LT(expected, all.size());
  EXPECT_EQ(kept.size(), expected);
  for (const auto& e : t["traceEvents"]) {
    if (e["ph"] == "C") {
      EXPECT_LT(e["ts"].get<double>(), 3000.0) << e;
    }
  }
}

struct BadTrace {
  const char* name;
  const char* args;
  const char* message;
};
class TraceErrors : public ::testing::TestWithParam<BadTrace> {};
void PrintTo(const BadTrace& b, std::ostream* os) { *os << b.name; }

TEST_P(TraceErrors, ExitCode2AndOneLine) {
  test::RunResult r = test::run_catsim(kArgs + " " + GetParam().args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(GetParam().message), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TraceErrors,
    ::testing::Values(BadTrace{"bad_regex", "--trace - --trace-ops '(unclosed'", "--trace-ops: '(unclosed' is not a regular expression"},
                      BadTrace{"bad_window", "--trace - --trace-window 10-20", "--trace-window: '10-20' is not START:END"},
                      BadTrace{"empty_window", "--trace - --trace-window 20:20", "--trace-window: END 20 is not after START 20"},
                      BadTrace{"ops_without_trace", "--trace-ops attn", "--trace-ops: needs --trace"},
                      BadTrace{"stdout_with_json", "--trace - --json", "--trace: - writes the trace to stdout"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace catsim
