// scripts/plot_run draws a roofline and a utilization timeline PNG from a --json result, and refuses
// anything else with exit code 2.

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

int run_script(const std::string& args) {
  const std::string cmd = test::source_path("scripts/plot_run") + " " + args + " >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool is_png(const std::filesystem::path& p) { return test::slurp(p.string()).rfind("\x89PNG\r\n", 0) == 0; }

TEST(PlotRun, DrawsRooflineAndTimeline) {
  test::RunResult r = test::run_catsim(test::arch_config("edge_npu.yaml") + " " +
                                       test::model_config("gemms-vit-mlp.yaml") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string json = test::write_file("plot_result.json", r.out);
  const auto prefix = test::scratch_dir() / "plot";
  ASSERT_EQ(run_script(json + " " + prefix.string()), 0) << "needs /usr/bin/python3 with matplotlib (scripts/setup)";
  EXPECT_TRUE(is_png(prefix.string() + "_roofline.png"));
  EXPECT_TRUE(is_png(prefix.string() + "_timeline.png"));
}

TEST(PlotRun, RefusesWhatIsNotAResult) {
  EXPECT_EQ(run_script(test::write_file("not_a_result.json", "{\"cycles\": 3}")), 2);
  EXPECT_EQ(run_script(test::write_file("not_json.json", "cycles: 3")), 2);
  EXPECT_EQ(run_script(""), 2);
}

}  // namespace
}  // namespace catsim
