#pragma once
// The command line's contract for a rejected run: exit `code`, nothing on stdout, exactly one line on
// stderr, containing `fragment`.

#include <gtest/gtest.h>

#include <string>

#include "tests/support/run_catsim.h"

namespace catsim::test {

inline void expect_one_line(const RunResult& r, int code, const std::string& fragment) {
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_EQ(r.out, "") << "nothing on stdout on failure";
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "exactly one line: " << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << "expected '" << fragment << "' in: " << r.err;
}

}  // namespace catsim::test
