#pragma once
// Runs catsim with --json and parses its document: a run that fails is a test failure naming its
// arguments and stderr, and gives an empty object.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/run_catsim.h"

namespace catsim::test {

inline nlohmann::json run_json(const std::string& args) {
  const RunResult r = run_catsim(args + " --json");
  EXPECT_EQ(r.exit_code, 0) << args << ": " << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
}

}  // namespace catsim::test
