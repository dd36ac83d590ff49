// `catsim search` and `catsim sweep` through the command line, with real simulations of a tiny GEMM:
// output files and their columns, exit codes and one-line errors, and scripts/plot_pareto.

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <cmath>
#include <map>
#include <sstream>

#include "tests/support/expect_one_line.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

namespace fs = std::filesystem;

std::string tiny_space(const std::string& name, const std::string& extra = "") {
  test::write_file("tiny_gemm.yaml", "name: tiny\nkind: gemm\nm: 64\nn: 64\nk: 64\n");
  return test::write_file(name, "arch: " + test::arch_config("catransformers_baseline.yaml") +
                                    "\nmodel: tiny_gemm.yaml\nmetric: all-hw\nparameters:\n"
                                    "  arch.systolic.rows: [8, 16]\n  arch.systolic.cols: {from: 16, to: 64, step: x2}\n"
                                    "workers: 2\n" + extra);
}

std::string out_dir(const std::string& name) {
  const auto d = test::scratch_dir() / name;
  fs::remove_all(d);
  return d.string();
}

TEST(SearchCli, WritesArchiveCsvsAndJson) {
  const std::string dir = out_dir("cli_search");
  const auto r = test::run_catsim("search " + tiny_space("cli_space.yaml") + " --out " + dir + " --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("search:"), std::string::npos) << r.err;  // --quiet: no progress lines
  EXPECT_NE(r.out.find("6 points, 6 feasible"), std::string::npos) << r.out;
  for (const char* f : {"archive.sqlite", "all.csv", "pareto.csv", "pareto.json"}) EXPECT_TRUE(fs::exists(dir + "/" + f)) << f;
  const std::string pareto = test::slurp(dir + "/pareto.csv");
  EXPECT_EQ(pareto.substr(0, pareto.find('\n')),
            "arch.systolic.rows,arch.systolic.cols,status,feasible,accuracy,accuracy_source,latency_s,energy_j,"
            "area_mm2,tops,carbon_total_g,carbon_operational_g,carbon_embodied_g");
  const auto doc = nlohmann::json::parse(test::slurp(dir + "/pareto.json"));
  EXPECT_EQ(doc["metric"], "all-hw");
  EXPECT_EQ(doc["points"], 6);
  EXPECT_EQ(doc["hypervolume_per_generation"].size(), 1u);  // 6 points: one batch
  for (const auto& point : doc["front"])  // parameter values are numbers, as the space lists them
    for (const auto& [key, value] : point["parameters"].items()) EXPECT_TRUE(value.is_number_integer()) << key << ": " << value;
  EXPECT_FALSE(doc["front"].empty());
  // Progress lines go to stderr when it is not a terminal.
  const std::string dir2 = out_dir("cli_search_log");
  const auto logged = test::run_catsim("search " + tiny_space("cli_space2.yaml") + " --out " + dir2);
  ASSERT_EQ(logged.exit_code, 0) << logged.err;
  EXPECT_NE(logged.err.find("search: 6/6 points, 6 feasible"), std::string::npos) << logged.err;
  // scripts/plot_pareto draws the folder.
  const std::string cmd = test::source_path("scripts/plot_pareto") + " " + dir + " " + dir + "/p.png >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(test::slurp(dir + "/p.png").rfind("\x89PNG\r\n", 0), 0u);
}

TEST(SearchCli, ExistingOutNeedsResumeAndResumeNeedsAnArchive) {
  const std::string dir = out_dir("cli_resume");
  const std::string space = tiny_space("cli_resume.yaml");
  ASSERT_EQ(test::run_catsim("search " + space + " --out " + dir + " --quiet").exit_code, 0);
  test::expect_one_line(test::run_catsim("search " + space + " --out " + dir), 2, "use --resume");
  const auto again = test::run_catsim("search " + space + " --out " + dir + " --resume --quiet");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  test::expect_one_line(test::run_catsim("search " + space + " --out " + out_dir("cli_nothing") + " --resume"), 2,
                        "no archive.sqlite to resume from");
}

TEST(SearchCli, MalformedSpaceIsOneLineWithLineAndColumn) {
  const std::string space = tiny_space("cli_bad.yaml", "optimiser: {name: grid}\n");
  test::expect_one_line(test::run_catsim("search " + space + " --out " + out_dir("cli_bad")), 2,
                        "cli_bad.yaml:8:1: optimiser: unknown key (did you mean 'optimizer'?)");
  test::expect_one_line(test::run_catsim("search " + space + " --out x --metric speed"), 2, "'speed' is not a metric mode");
}

TEST(SearchCli, FeasibilityStageRejectsBeforeSimulating) {
  // Leakage alone is above 1 uW on every point, and no die is under 1 mm2: every point stops at feasibility.
  for (const char* constraint : {"max_power_w: 0.000001", "max_area_mm2: 1"}) {
    SCOPED_TRACE(constraint);
    const std::string dir = out_dir("cli_feasibility");
    const auto r = test::run_catsim("search " + tiny_space("cli_feas.yaml", std::string("constraints: {") + constraint + "}\n") +
                                    " --out " + dir + " --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("6 points, 0 feasible, 0 on the Pareto front"), std::string::npos) << r.out;
    const std::string all = test::slurp(dir + "/all.csv");
    std::istringstream in(all);
    std::string line;
    std::getline(in, line);
    int rows = 0;
    while (std::getline(in, line)) {
      ++rows;
      EXPECT_NE(line.find(",rejected,false,"), std::string::npos) << line;
      EXPECT_NE(line.find(",feasibility,"), std::string::npos) << line;
      EXPECT_NE(line.find(constraint[4] == 'p' ? "power: the leakage alone" : "mm2 > max_area_mm2 1"), std::string::npos)
          << line;
    }
    EXPECT_EQ(rows, 6);
  }
}

TEST(SweepCli, CrossProductOneRowPerPoint) {
  test::write_file("tiny_gemm.yaml", "name: tiny\nkind: gemm\nm: 64\nn: 64\nk: 64\n");
  const auto r = test::run_catsim("sweep " + test::arch_config("catransformers_baseline.yaml") + " " +
                                  (test::scratch_dir() / "tiny_gemm.yaml").string() +
                                  " --vary arch.systolic.rows=8,16 --vary arch.sram.kib=64:256:x2 --workers 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "arch.systolic.rows,arch.sram.kib,status,latency_s,energy_j,power_w,tops_per_w,peak_tops,area_mm2,"
                  "carbon_total_g,carbon_operational_g,carbon_embodied_g,array_utilization,bound,reason");
  int rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    EXPECT_NE(line.find(",ok,"), std::string::npos) << line;
  }
  EXPECT_EQ(rows, 2 * 3);  // rows {8, 16} x SRAM {64, 128, 256}
  // Progress goes to stderr as points finish (a log line when stderr is not a terminal), the last one at the end.
  EXPECT_NE(r.err.find("sweep: 6/6 points, 6 ok"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.rfind("sweep: 6 points\n", 0), 0u) << r.err;  // the count up front
  const std::string sweep = "sweep " + test::arch_config("catransformers_baseline.yaml") + " " +
                            (test::scratch_dir() / "tiny_gemm.yaml").string();
  const auto j = test::run_catsim(sweep + " --vary arch.cores=1,2 --vary arch.systolic.dataflow=os,ws --json --quiet");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(test::without_sanitizer_notes(j.err), "");  // --quiet
  const auto doc = nlohmann::json::parse(j.out);
  ASSERT_EQ(doc.size(), 4u);
  EXPECT_EQ(doc[2]["arch.cores"], 2);  // numbers are JSON numbers, words stay strings
  EXPECT_EQ(doc[2]["arch.systolic.dataflow"], "os");
  EXPECT_LE(doc[2]["latency_s"].get<double>(), doc[0]["latency_s"].get<double>());  // more cores never slower
  // scripts/plot_sweep draws the table: lines over the first key, and a heat map of both.
  const std::string table = test::write_file("sweep.json", j.out);
  for (const char* how : {"", " --heatmap --metric energy_j"}) {
    const std::string png = (test::scratch_dir() / "sweep.png").string();
    fs::remove(png);
    EXPECT_EQ(std::system((test::source_path("scripts/plot_sweep") + " " + table + " " + png + how + " >/dev/null 2>&1").c_str()), 0) << how;
    EXPECT_EQ(test::slurp(png).substr(0, 8), "\x89PNG\r\n\x1a\n") << how;
  }
  // --set fixes a key for every point: one core set for both rows equals the varied one-core point (the arch
  // has two), and a starved DRAM makes every point slower than the default's.
  const auto fixed = test::run_catsim(sweep + " --vary arch.systolic.dataflow=os,ws --set arch.cores=1 --json --quiet");
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(nlohmann::json::parse(fixed.out)[0]["latency_s"], doc[0]["latency_s"]);
  const auto starved =
      test::run_catsim(sweep + " --vary arch.systolic.dataflow=os,ws --set arch.dram.bandwidth_gbps=0.25 --json --quiet");
  ASSERT_EQ(starved.exit_code, 0) << starved.err;
  EXPECT_GT(nlohmann::json::parse(starved.out)[0]["latency_s"].get<double>(), 2 * doc[2]["latency_s"].get<double>());
}

// An --out that cannot be written fails before any point runs (exit 4, one line), and leaves nothing behind.
TEST(SweepCli, AnUnwritableOutFailsBeforeThePointsRun) {
  test::write_file("tiny_gemm.yaml", "name: tiny\nkind: gemm\nm: 64\nn: 64\nk: 64\n");
  const std::string files =
      test::arch_config("catransformers_baseline.yaml") + " " + (test::scratch_dir() / "tiny_gemm.yaml").string();
  const auto r = test::run_catsim("sweep " + files + " --vary arch.cores=1,2 --out /nonexistent-dir/rows.csv");
  test::expect_one_line(r, 4, "/nonexistent-dir/rows.csv: cannot write: No such file or directory");
  EXPECT_EQ(r.err.find("points"), std::string::npos) << r.err;  // no point ran
  const std::string dir = (test::scratch_dir() / "sweep_out").string();
  std::filesystem::create_directories(dir);
  ASSERT_EQ(test::run_catsim("sweep " + files + " --vary arch.cores=1,2 --quiet --out " + dir + "/rows.csv").exit_code, 0);
  std::vector<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(dir)) left.push_back(e.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"rows.csv"});  // the check's temporary file is gone
}

// A point that fails (here: a timeout shorter than any run) is a row of the table, and the exit code 1
// comes with one line saying how many failed and why the first did.
TEST(SweepCli, FailedPointsAreRowsAndOneLine) {
  test::write_file("tiny_gemm.yaml", "name: tiny\nkind: gemm\nm: 64\nn: 64\nk: 64\n");
  const std::string files =
      test::arch_config("catransformers_baseline.yaml") + " " + (test::scratch_dir() / "tiny_gemm.yaml").string();
  const auto r = test::run_catsim("sweep " + files + " --vary arch.cores=1,2 --timeout 1e-9 --quiet --json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "catsim: sweep: 2 of 2 points failed (the first: timed out after 1e-09 s); their rows say why\n");
  const auto rows = nlohmann::json::parse(r.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["status"], "failed");
}

// --fidelity analytic times every point with the closed-form estimate: each row's latency and energy are
// exactly those of `catsim ARCH MODEL --fidelity analytic --json` with the point's keys; the columns derived
// from the summary follow from it (tops_per_w = peak_tops / power_w).
TEST(SweepCli, FidelityTimesEveryPointAsTheSimulationDoes) {
  test::write_file("tiny_gemm.yaml", "name: tiny\nkind: gemm\nm: 64\nn: 64\nk: 64\n");
  const std::string files =
      test::arch_config("catransformers_baseline.yaml") + " " + (test::scratch_dir() / "tiny_gemm.yaml").string();
  const auto r = test::run_catsim("sweep " + files + " --vary arch.systolic.rows=8,16 --fidelity analytic --json --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = nlohmann::json::parse(r.out);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    const auto one = test::run_catsim(files + " --fidelity analytic --json --set arch.systolic.rows=" +
                                      std::to_string(row["arch.systolic.rows"].get<int>()));
    ASSERT_EQ(one.exit_code, 0) << one.err;
    const auto doc = nlohmann::json::parse(one.out);
    EXPECT_EQ(row["latency_s"], doc["latency_s"]);
    EXPECT_EQ(row["energy_j"], doc["energy_j"]);
    EXPECT_DOUBLE_EQ(row["tops_per_w"].get<double>(), row["peak_tops"].get<double>() / row["power_w"].get<double>());
  }
  test::expect_one_line(test::run_catsim("sweep " + files + " --vary arch.systolic.rows=8 --fidelity exact"), 2,
                        "--fidelity: unknown value 'exact'");
}

std::vector<std::map<std::string, std::string>> read_all_csv(const std::string& dir);

// A space file's `fidelity: analytic` times every point of the search with the estimate (all.csv writes 9
// significant digits), and is checked.
TEST(SearchCli, SpaceFidelityTimesEveryPoint) {
  const std::string out = out_dir("fidelity_out");
  const auto r = test::run_catsim("search " + tiny_space("fidelity_space.yaml", "fidelity: analytic\n") + " --out " + out +
                                  " --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_all_csv(out);
  ASSERT_EQ(rows.size(), 6u);  // rows {8, 16} x cols {16, 32, 64}
  for (const auto& row : rows) {
    const auto one = test::run_catsim(test::arch_config("catransformers_baseline.yaml") + " " +
                                      (test::scratch_dir() / "tiny_gemm.yaml").string() +
                                      " --fidelity analytic --json --set arch.systolic.rows=" + row.at("arch.systolic.rows") +
                                      " --set arch.systolic.cols=" + row.at("arch.systolic.cols"));
    ASSERT_EQ(one.exit_code, 0) << one.err;
    EXPECT_EQ(row.at("latency_s"), fmt::format("{:.9g}", nlohmann::json::parse(one.out)["latency_s"].get<double>()));
  }
  test::expect_one_line(test::run_catsim("search " + tiny_space("bad_fidelity.yaml", "fidelity: exact\n") + " --out " +
                                         out_dir("bad_fidelity_out")),
                        2, "fidelity:");
}

// Runs `catsim ARGS` in the background, sends it `sig` `after_s` seconds after `ready` exists (or when it has
// ended) and returns its exit code, with its stdout and stderr in files.
int run_and_signal(const std::string& args, const std::string& ready, int sig, double after_s, std::string& out,
                   std::string& err) {
  const std::string out_file = (test::scratch_dir() / "signal_out.txt").string(),
                    err_file = (test::scratch_dir() / "signal_err.txt").string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string cmd = "exec " + std::string(CATSIM_BINARY) + " " + args + " >" + out_file + " 2>" + err_file;
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int i = 0; i < 6000 && !fs::exists(ready); ++i) ::usleep(10'000);  // up to a minute (sanitized builds)
  ::usleep(static_cast<useconds_t>(after_s * 1e6));
  ::kill(pid, sig);
  int status = 0;
  ::waitpid(pid, &status, 0);
  out = test::slurp(out_file);
  err = test::slurp(err_file);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// SIGTERM (or Ctrl-C's SIGINT) stops a search: the running points are dropped, what is archived is written
// out (all.csv, pareto.csv, pareto.json), one line says so and how to resume, exit 128 + the signal; --export
// writes the same files again from the archive, and --resume evaluates only the rest.
TEST(SearchCli, StoppedBySignalWritesWhatIsArchivedAndResumes) {
  test::write_file("bert.yaml", "family: bert\nname: small\nlayers: 2\nhidden: 256\nheads: 4\nffn: 1024\n"
                                "vocab: 30522\nmax_positions: 512\nworkload: {batch: 1, seq_len: 128}\n");
  // 4 x 4 x 5 x 2 = 160 BERT points on 1 worker: several seconds, stopped a second after the archive exists.
  const std::string space = test::write_file(
      "stop_space.yaml", "arch: " + test::arch_config("catransformers_baseline.yaml") +
                             "\nmodel: bert.yaml\nmetric: all-hw\nparameters:\n  arch.systolic.rows: [4, 8, 16, 32]\n"
                             "  arch.systolic.cols: [16, 32, 64, 128]\n  arch.sram.kib: [64, 128, 256, 512, 1024]\n"
                             "  arch.cores: [1, 2]\nworkers: 1\n");
  const std::string out = out_dir("stopped_out");
  std::string stdout_text, stderr_text;
  const int code = run_and_signal("search " + space + " --out " + out + " --quiet", out + "/archive.sqlite", SIGTERM, 1.0,
                                  stdout_text, stderr_text);
  ASSERT_EQ(code, 128 + SIGTERM) << stderr_text;
  const std::string line = test::without_sanitizer_notes(stderr_text);
  EXPECT_EQ(line.rfind("catsim search: stopped by SIGTERM: ", 0), 0u) << line;
  EXPECT_NE(line.find("continue with: catsim search " + space + " --out " + out + " --resume\n"), std::string::npos) << line;
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
  const auto archived = read_all_csv(out);
  ASSERT_LT(archived.size(), 160u);
  EXPECT_NE(line.find(std::to_string(archived.size()) + " points archived"), std::string::npos) << line;
  for (const char* f : {"/pareto.csv", "/pareto.json"}) EXPECT_TRUE(fs::exists(out + f)) << f;
  // --export: the same files from the archive, nothing evaluated.
  const std::string before = test::slurp(out + "/all.csv");
  fs::remove(out + "/all.csv");
  const auto exported = test::run_catsim("search " + space + " --out " + out + " --export --quiet");
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(test::slurp(out + "/all.csv"), before);
  // --resume evaluates the rest.
  const auto resumed = test::run_catsim("search " + space + " --out " + out + " --resume --quiet");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(read_all_csv(out).size(), 160u);
  test::expect_one_line(test::run_catsim("search " + space + " --out " + out_dir("nothing_here") + " --export"), 2,
                        "no archive.sqlite to export");
}

TEST(SweepCli, BadVaryIsOneLine) {
  const std::string base = "sweep " + test::arch_config("catransformers_baseline.yaml") + " " +
                           test::model_config("bert-base.yaml");
  test::expect_one_line(test::run_catsim(base + " --vary arch.systolic.rowz=4,8"), 2, "arch.systolic.rowz: value 4:");
  test::expect_one_line(test::run_catsim(base + " --vary rows=4,8"), 2, "rows: not an arch or model key");
  test::expect_one_line(test::run_catsim(base + " --vary arch.cores=4:1"), 2, "empty range: from 4 > to 1");
  // 1,001 points need --yes (a mistyped range should not start an hour of work).
  test::expect_one_line(test::run_catsim(base + " --vary arch.clock_mhz=100:1100 --quiet"), 2,
                        "--vary: 1001 points: add --yes to run more than 1000");
}

// all.csv as rows of cells keyed by column name (the columns these tests read hold no commas).
std::vector<std::map<std::string, std::string>> read_all_csv(const std::string& dir) {
  std::istringstream in(test::slurp(dir + "/all.csv"));
  std::string line;
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, ',')) cells.push_back(c);
    if (header.empty()) {
      header = cells;
      continue;
    }
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

TEST(SearchCli, RooflineScreenDropsOnlyPointsTheRunFindsTooSlow) {
  // The same 6 designs of a 256^3 GEMM, once simulated in full and once behind `screen:` with a latency
  // bound between the fastest and the slowest: the screen drops some points, and every point it drops is
  // slower than the bound at cycle level (the roofline estimate never runs more than 10 % slow).
  test::write_file("screen_gemm.yaml", "name: g\nkind: gemm\nm: 256\nn: 256\nk: 256\n");
  auto space = [](const std::string& name, const std::string& extra) {
    return test::write_file(name, "arch: " + test::arch_config("catransformers_baseline.yaml") +
                                      "\nmodel: screen_gemm.yaml\nmetric: all-hw\nparameters:\n"
                                      "  arch.systolic.rows: [2, 16]\n  arch.systolic.cols: {from: 16, to: 64, step: x2}\n"
                                      "workers: 2\n" + extra);
  };
  const std::string full = out_dir("cli_screen_full");
  ASSERT_EQ(test::run_catsim("search " + space("screen_full.yaml", "") + " --out " + full + " --quiet").exit_code, 0);
  std::map<std::string, double> latency;
  double lo = 1e30, hi = 0;
  for (const auto& r : read_all_csv(full)) {
    const double l = std::stod(r.at("latency_s"));
    latency[r.at("arch.systolic.rows") + "x" + r.at("arch.systolic.cols")] = l;
    lo = std::min(lo, l), hi = std::max(hi, l);
  }
  ASSERT_EQ(latency.size(), 6u);
  const double bound = std::sqrt(lo * hi);
  const std::string screened = out_dir("cli_screen");
  const auto r = test::run_catsim("search " +
                                  space("screen.yaml", "constraints: {max_latency_s: " + std::to_string(bound) +
                                                           "}\nscreen: {estimator: roofline, latency_margin: 0.1}\n") +
                                  " --out " + screened + " --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int dropped = 0;
  for (const auto& row : read_all_csv(screened)) {
    const std::string key = row.at("arch.systolic.rows") + "x" + row.at("arch.systolic.cols");
    if (row.at("stage") != "screen") continue;
    ++dropped;
    EXPECT_NE(row.at("reason").find("roofline estimate"), std::string::npos) << row.at("reason");
    EXPECT_GT(latency.at(key), bound) << key << " was screened out but runs in " << latency.at(key) << " s";
  }
  EXPECT_GT(dropped, 0);
}

}  // namespace
}  // namespace catsim
