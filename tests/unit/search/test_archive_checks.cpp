// A resumed archive is read back only when every row holds what a search writes: a damaged row (bad JSON, a
// negative or non-finite metric, an unknown status) or an emptied meta table is one ConfigError naming the
// archive, never an internal error or a copied lie.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "arch/config/error.h"
#include "search/archive.h"
#include "tests/unit/search/search_fixture.h"

namespace catsim::test {
namespace {

const std::vector<std::string> kColumns = {"arch.cores"};

// A fresh archive with one good point, then `sql` run on it behind the archive's back.
std::string tampered(const std::string& name, const std::string& sql) {
  const std::string dir = fresh_dir(name);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/archive.sqlite";
  {
    Archive a(path, "digest", kColumns);
    PointResult r;
    r.status = "ok";
    r.feasible = true;
    r.latency_s = 1e-3;
    r.energy_j = 2e-3;
    a.add_point({0, {"2"}, r});
  }
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(db);
  return path;
}

// The one-line error reading the archive gives, or "no error".
std::string resume_error(const std::string& path) {
  try {
    Archive a(path, "digest", kColumns);
    a.points();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ArchiveChecks, GoodArchiveReadsBack) {
  const std::string path = tampered("archive_good", "SELECT 1");
  EXPECT_EQ(resume_error(path), "no error");
  EXPECT_EQ(*Archive(path, "digest", kColumns).points().at(0).result.latency_s, 1e-3);
}

TEST(ArchiveChecks, DamagedRowsAreConfigErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"UPDATE points SET result = json_set(result, '$.latency_s', -1e308)", "latency_s: -1e+308 is not a finite"},
      {"UPDATE points SET result = json_set(result, '$.energy_j', 'lots')", "energy_j: not a number"},
      {"UPDATE points SET result = json_set(result, '$.status', 'great')", "status: 'great' is not a known value"},
      {"UPDATE points SET result = '{not json'", "parse error"},
      {"UPDATE points SET point_values = '[2]'", "type must be string"},
  };
  int i = 0;
  for (const auto& [sql, fragment] : cases) {
    const std::string msg = resume_error(tampered("archive_bad" + std::to_string(i++), sql));
    EXPECT_NE(msg.find("archive.sqlite: --resume: point 0 is damaged ("), std::string::npos) << sql << "\n" << msg;
    EXPECT_NE(msg.find(fragment), std::string::npos) << sql << "\n" << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

TEST(ArchiveChecks, EmptiedMetaIsRefused) {
  const std::string msg = resume_error(tampered("archive_meta", "DELETE FROM meta"));
  EXPECT_NE(msg.find("--resume: the archive holds points but no record of its space file"), std::string::npos) << msg;
}

// The first row's `sql` columns (each as "SQLite type code:value"), read straight from the database; empty
// when the query fails.
std::vector<std::string> row_of(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  std::vector<std::string> out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count(s); ++i) {
      const auto* t = sqlite3_column_text(s, i);
      out.push_back(std::to_string(sqlite3_column_type(s, i)) + ":" + (t ? reinterpret_cast<const char*>(t) : ""));
    }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

// Each parameter has a column of its own, named by its path and typed by its value, for SQL queries.
TEST(ArchiveChecks, ParametersHaveTypedColumns) {
  const std::string dir = fresh_dir("archive_typed");
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/archive.sqlite";
  {
    Archive a(path, "digest", {"arch.cores", "arch.sram.kib", "arch.systolic.dataflow"});
    PointResult r;
    r.status = "ok";
    a.add_point({0, {"4", "0.5", "ws"}, r});
  }
  const std::vector<std::string> expected = {std::to_string(SQLITE_INTEGER) + ":4", std::to_string(SQLITE_FLOAT) + ":0.5",
                                             std::to_string(SQLITE_TEXT) + ":ws"};
  EXPECT_EQ(row_of(path, "SELECT \"arch.cores\", \"arch.sram.kib\", \"arch.systolic.dataflow\" FROM points"), expected);
}

// An archive written before the parameter columns existed gets them on opening, filled from each row's
// values, and reads back as before.
TEST(ArchiveChecks, AnOlderArchiveGetsItsParameterColumns) {
  const std::string path = tampered("archive_older", "ALTER TABLE points DROP COLUMN \"arch.cores\"");
  const std::string has_column = "SELECT count(*) FROM pragma_table_info('points') WHERE name = 'arch.cores'";
  EXPECT_EQ(row_of(path, has_column), std::vector<std::string>{std::to_string(SQLITE_INTEGER) + ":0"});
  EXPECT_EQ(resume_error(path), "no error");
  EXPECT_EQ(row_of(path, has_column), std::vector<std::string>{std::to_string(SQLITE_INTEGER) + ":1"});
  EXPECT_EQ(row_of(path, "SELECT \"arch.cores\" FROM points"),
            std::vector<std::string>{std::to_string(SQLITE_INTEGER) + ":2"});
}

}  // namespace
}  // namespace catsim::test
