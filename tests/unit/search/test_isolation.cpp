// A crashing and a hanging evaluation are recorded as failed with their reasons and the search goes on;
// a search killed with SIGKILL and resumed ends with the archive of an uninterrupted run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include "tests/unit/search/search_fixture.h"

namespace catsim::test {
namespace {

const char* kSpace =
    "metric: all-hw\nparameters:\n  arch.cores: [1, 2, 4]\n  arch.systolic.cols: [32, 64, 128, 256]\n"
    "workers: 2\ntimeout_s: 3\n";

TEST(SearchIsolation, CrashAndHangAreRecordedAsFailed) {
  const SearchSpace s = load_space(write_space("iso.yaml", kSpace));
  const std::string dir = fresh_dir("iso");
  const PointEvaluator faulty = [](const SearchSpace&, const std::vector<Override>& ov) {
    const auto cores = value_of(ov, "arch.cores", 0), cols = value_of(ov, "arch.systolic.cols", 0);
    if (cores == 2 && cols == 64) std::abort();  // a crash (an assert); SIGSEGV would be caught by ASan's handler
    if (cores == 4 && cols == 32)
      for (;;) ::pause();
    return fake_evaluate(ov);
  };
  const auto sum = run_search(s, {dir, false, false}, faulty);
  EXPECT_EQ(sum.points, 12);
  EXPECT_EQ(sum.feasible, 10);
  for (const auto& row : archive_rows(dir, s)) {
    if (row.find("[\"2\",\"64\"]") != std::string::npos) {
      EXPECT_NE(row.find("\"status\":\"failed\""), std::string::npos) << row;
      EXPECT_NE(row.find("killed by signal 6"), std::string::npos) << row;
    } else if (row.find("[\"4\",\"32\"]") != std::string::npos) {
      EXPECT_NE(row.find("\"status\":\"failed\""), std::string::npos) << row;
      EXPECT_NE(row.find("timed out after 3 s"), std::string::npos) << row;
    } else {
      EXPECT_NE(row.find("\"feasible\":true"), std::string::npos) << row;
    }
  }
}

TEST(SearchIsolation, ThrowingEvaluationIsInvalidWithItsMessage) {
  const SearchSpace s = load_space(write_space("iso_throw.yaml", kSpace));
  const std::string dir = fresh_dir("iso_throw");
  const PointEvaluator throwing = [](const SearchSpace&, const std::vector<Override>& ov) -> PointResult {
    if (value_of(ov, "arch.cores", 0) == 1) throw ConfigError({"x.yaml", 3, 4}, "k", "bad value");
    return fake_evaluate(ov);
  };
  run_search(s, {dir, false, false}, throwing);
  int invalid = 0;
  for (const auto& row : archive_rows(dir, s))
    if (row.find("\"status\":\"invalid\"") != std::string::npos) {
      ++invalid;
      EXPECT_NE(row.find("x.yaml:3:4: k: bad value"), std::string::npos) << row;
    }
  EXPECT_EQ(invalid, 4);
}

std::int64_t rows_in(const std::string& db) {
  sqlite3* h = nullptr;
  std::int64_t n = 0;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM points", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return n;
}

void kill_then_resume_equals_uninterrupted(const std::string& name, const std::string& optimizer) {
  const SearchSpace s = load_space(write_space(name + ".yaml",
                                               "metric: all\nparameters:\n  arch.cores: [1, 2, 4]\n"
                                               "  arch.systolic.cols: [32, 64, 128, 256]\n"
                                               "  model.pruning.layers: {from: 6, to: 12, step: 2}\n"
                                               "accuracy: {source: proxy}\nworkers: 2\nseed: 11\n" + optimizer));
  const std::string killed = fresh_dir(name + "_killed"), whole = fresh_dir(name + "_whole");
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    try {
      run_search(s, {killed, false, false}, fake_evaluator(40));
    } catch (...) {
    }
    ::_exit(0);
  }
  // SIGKILL the whole search (parent of the workers) once some, not all, points are committed.
  const auto db = killed + "/archive.sqlite";
  for (int i = 0; i < 2000 && rows_in(db) < 8; ++i) ::usleep(5000);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  const std::int64_t before = rows_in(db);
  ASSERT_GE(before, 8);
  ::usleep(200000);  // orphaned workers finish; nothing of theirs reaches the archive
  run_search(s, {killed, true, false}, fake_evaluator(0));
  run_search(s, {whole, false, false}, fake_evaluator(0));
  const auto a = archive_rows(killed, s), b = archive_rows(whole, s);
  EXPECT_GT(static_cast<std::int64_t>(b.size()), before);
  EXPECT_EQ(a, b);
  EXPECT_EQ(slurp(killed + "/pareto.csv"), slurp(whole + "/pareto.csv"));
}

TEST(SearchResume, SigkillThenResumeEqualsUninterruptedGrid) { kill_then_resume_equals_uninterrupted("kill_grid", ""); }

TEST(SearchResume, SigkillThenResumeEqualsUninterruptedNsga2) {
  kill_then_resume_equals_uninterrupted("kill_nsga2", "optimizer: {name: nsga2, population: 8}\nbudget: {points: 40}\n");
}

TEST(SearchResume, SigkillThenResumeEqualsUninterruptedBilevel) {
  kill_then_resume_equals_uninterrupted("kill_bilevel",
                                        "optimizer: {name: bilevel, outer: random, inner: random, inner_points: 5}\n");
}

}  // namespace
}  // namespace catsim::test
