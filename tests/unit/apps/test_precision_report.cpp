// `--precisions` exit codes and streams: failures on stderr, the table only when something ran, a child
// that died inside catsim (signal, timeout) an internal failure even when other precisions ran.

#include <gtest/gtest.h>

#include "api/output_checks.h"
#include "apps/lib/precision_report.h"

namespace catsim {
namespace {

PrecisionRun ran(const char* p) {
  PrecisionRun r;
  r.precision = p;
  r.ok = true;
  r.latency_s = 1e-3, r.energy_j = 1e-2, r.cycles = 1000;
  return r;
}

PrecisionRun failed(const char* p, const char* why, bool internal) {
  PrecisionRun r;
  r.precision = p;
  r.error = why;
  r.internal = internal;
  return r;
}

TEST(PrecisionReport, AllRanIsExit0WithTableAndQuietStderr) {
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  EXPECT_EQ(report_precision_study({ran("int8"), ran("fp16")}, false), kExitOk);
  EXPECT_NE(testing::internal::GetCapturedStdout().find("int8"), std::string::npos);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(PrecisionReport, ChildKilledBySignalIsInternalEvenIfAnotherRan) {
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  EXPECT_EQ(report_precision_study({ran("int8"), failed("fp16", "killed by signal 9 (Killed)", true)}, false),
            kExitInternal);
  EXPECT_NE(testing::internal::GetCapturedStdout().find("int8"), std::string::npos);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "catsim: --precisions fp16: internal error: killed by signal 9 (Killed)\n");
}

TEST(PrecisionReport, NoneRanIsExit2WithNothingOnStdout) {
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  EXPECT_EQ(report_precision_study({failed("int4", "a.yaml:3:4: no int4", false)}, true), kExitBadInput);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "catsim: --precisions int4: a.yaml:3:4: no int4\n");
}

TEST(OutputChecks, NonFiniteOrNegativeNumbersAreInternalFailures) {
  EXPECT_NO_THROW(require_finite_output({{"a", 1.5}, {"b", {1, 2}}}, "t"));
  EXPECT_THROW(require_finite_output({{"a", {{"b", std::numeric_limits<double>::infinity()}}}}, "t"), std::logic_error);
  EXPECT_THROW(require_finite_output({{"a", std::nan("")}}, "t"), std::logic_error);
  EXPECT_THROW(require_finite_output({{"a", -1.0}}, "t"), std::logic_error);
  try {
    require_finite_output({{"x", {{"y", -2.0}}}}, "result");
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("result: x.y is"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace catsim
