#include "search/archive.h"

#include <nlohmann/json.hpp>

#include <set>

#include "arch/config/error.h"
#include "arch/io/atomic_file.h"
#include "search/typed_value.h"

namespace catsim {
namespace {

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql, const std::string& path) : m_path(path) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &m_stmt, nullptr) != SQLITE_OK)
      throw WriteError(path + ": " + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(m_stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  void bind(int i, const std::string& s) { sqlite3_bind_text(m_stmt, i, s.c_str(), -1, SQLITE_TRANSIENT); }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
  void bind(int i, double v) { sqlite3_bind_double(m_stmt, i, v); }
  void bind_optional(int i, const std::optional<double>& v) {
    if (v) bind(i, *v);
    else sqlite3_bind_null(m_stmt, i);
  }
  bool step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw WriteError(m_path + ": " + sqlite3_errmsg(sqlite3_db_handle(m_stmt)));
  }
  std::string text(int col) const {
    const auto* t = sqlite3_column_text(m_stmt, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
  double real(int col) const { return sqlite3_column_double(m_stmt, col); }

 private:
  sqlite3_stmt* m_stmt = nullptr;
  std::string m_path;
};

// A SQL identifier for a parameter's column: its path in double quotes ("arch.sram.kib").
std::string column_name(const std::string& parameter) {
  std::string out = "\"";
  for (char c : parameter) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Binds a parameter's value typed: an integer, a number, or the text itself.
void bind_typed(Statement& s, int i, const std::string& value) {
  const TypedValue v = typed_value(value);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return s.bind(i, *n);
  if (const auto* d = std::get_if<double>(&v)) return s.bind(i, *d);
  s.bind(i, value);
}

}  // namespace

Archive::Archive(const std::string& path, const std::string& digest, const std::vector<std::string>& columns)
    : m_path(path) {
  if (sqlite3_open(path.c_str(), &m_db) != SQLITE_OK) {
    const std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
    sqlite3_close(m_db);
    m_db = nullptr;
    throw WriteError(path + ": cannot open the archive: " + msg);
  }
  try {
    init(digest, columns);
  } catch (...) {  // the destructor does not run for a constructor that throws
    sqlite3_close(m_db);
    m_db = nullptr;
    throw;
  }
}

void Archive::init(const std::string& digest, const std::vector<std::string>& columns) {
  sqlite3_busy_timeout(m_db, 5000);
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  // `result` (JSON) is what a resume reads back; the columns beside it repeat it for SQL queries.
  exec("CREATE TABLE IF NOT EXISTS points (id INTEGER PRIMARY KEY, point_values TEXT NOT NULL UNIQUE, "
       "result TEXT NOT NULL, status TEXT NOT NULL, feasible INTEGER NOT NULL, stage TEXT, reason TEXT, "
       "accuracy REAL, accuracy_source TEXT, latency_s REAL, energy_j REAL, area_mm2 REAL, tops REAL, power_w REAL, "
       "carbon_total_g REAL, carbon_operational_g REAL, carbon_embodied_g REAL, wall_s REAL)");
  exec("CREATE TABLE IF NOT EXISTS accuracy (shape TEXT PRIMARY KEY, accuracy REAL NOT NULL, source TEXT NOT NULL)");
  exec("CREATE TABLE IF NOT EXISTS generations (generation INTEGER PRIMARY KEY, last_id INTEGER NOT NULL)");
  const std::string cols = nlohmann::json(columns).dump();
  if (meta("digest").empty()) {
    if (Statement(m_db, "SELECT 1 FROM points LIMIT 1", m_path).step())
      throw ConfigError({m_path, 0, 0}, "--resume",
                        "the archive holds points but no record of its space file (meta table emptied), so it cannot "
                        "be shown to belong to this one (start a new --out folder)");
    set_meta("digest", digest);
    set_meta("columns", cols);
  } else if (meta("digest") != digest || meta("columns") != cols) {
    throw ConfigError({m_path, 0, 0}, "--resume",
                      "the archive belongs to a different space file or metric (start a new --out folder)");
  }
  add_parameter_columns(columns);
}

void Archive::add_parameter_columns(const std::vector<std::string>& columns) {
  m_parameters = columns.size();
  std::string names, slots;
  for (const std::string& c : columns) names += ", " + column_name(c), slots += ",?";
  m_insert = "INSERT OR REPLACE INTO points (id, point_values, result, status, feasible, stage, reason, accuracy, "
             "accuracy_source, latency_s, energy_j, area_mm2, tops, power_w, carbon_total_g, carbon_operational_g, "
             "carbon_embodied_g, wall_s" + names + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?" + slots + ")";
  std::set<std::string> present;
  for (Statement s(m_db, "SELECT name FROM pragma_table_info('points')", m_path); s.step();) present.insert(s.text(0));
  std::vector<std::size_t> added;
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (!present.count(columns[i])) {
      exec("ALTER TABLE points ADD COLUMN " + column_name(columns[i]));
      added.push_back(i);
    }
  if (added.empty()) return;
  // An archive written before the columns existed: each row's values move into them, in one transaction.
  exec("BEGIN");
  std::vector<std::pair<std::int64_t, std::vector<std::string>>> rows;
  for (Statement s(m_db, "SELECT id, point_values FROM points", m_path); s.step();) {
    const nlohmann::json values = nlohmann::json::parse(s.text(1), nullptr, false);
    if (!values.is_array() || values.size() != columns.size()) continue;  // damaged: points() refuses it
    std::vector<std::string> texts;
    for (const auto& v : values) texts.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    rows.emplace_back(s.integer(0), std::move(texts));
  }
  for (const auto& [id, values] : rows)
    for (std::size_t i : added) {
      Statement u(m_db, "UPDATE points SET " + column_name(columns[i]) + " = ? WHERE id = ?", m_path);
      bind_typed(u, 1, values[i]);
      u.bind(2, id);
      u.step();
    }
  exec("COMMIT");
}

Archive::~Archive() { sqlite3_close(m_db); }

void Archive::exec(const std::string& sql) const {
  char* err = nullptr;
  if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw WriteError(m_path + ": " + msg);
  }
}

void Archive::add_point(const ArchivedPoint& p) {
  Statement s(m_db, m_insert, m_path);
  const PointResult& r = p.result;
  s.bind(1, p.id);
  s.bind(2, nlohmann::json(p.values).dump());
  s.bind(3, to_json(r).dump());
  s.bind(4, r.status);
  s.bind(5, static_cast<std::int64_t>(r.feasible ? 1 : 0));
  s.bind(6, r.stage);
  s.bind(7, r.reason);
  int col = 8;
  s.bind_optional(col++, r.accuracy);
  s.bind(col++, r.accuracy_source);
  for (const auto* v : {&r.latency_s, &r.energy_j, &r.area_mm2, &r.tops, &r.power_w, &r.carbon_total_g,
                        &r.carbon_operational_g, &r.carbon_embodied_g})
    s.bind_optional(col++, *v);
  s.bind(col++, r.wall_s);
  for (std::size_t i = 0; i < m_parameters && i < p.values.size(); ++i) bind_typed(s, col++, p.values[i]);
  s.step();
}

std::vector<ArchivedPoint> Archive::points() const {
  Statement s(m_db, "SELECT id, point_values, result FROM points ORDER BY id", m_path);
  std::vector<ArchivedPoint> out;
  while (s.step()) {
    const std::int64_t id = s.integer(0);
    try {
      out.push_back({id, nlohmann::json::parse(s.text(1)).get<std::vector<std::string>>(),
                     point_result_from_json(nlohmann::json::parse(s.text(2)))});
    } catch (const std::exception& e) {  // json's parse and type errors, the result's own checks
      throw ConfigError({m_path, 0, 0}, "--resume",
                        "point " + std::to_string(id) + " is damaged (" + e.what() + "): start a new --out folder");
    }
  }
  return out;
}

void Archive::set_accuracy(const std::string& shape_key, double accuracy, const std::string& source) {
  Statement s(m_db, "INSERT OR REPLACE INTO accuracy (shape, accuracy, source) VALUES (?,?,?)", m_path);
  s.bind(1, shape_key);
  s.bind(2, accuracy);
  s.bind(3, source);
  s.step();
}

std::map<std::string, std::pair<double, std::string>> Archive::accuracies() const {
  Statement s(m_db, "SELECT shape, accuracy, source FROM accuracy", m_path);
  std::map<std::string, std::pair<double, std::string>> out;
  while (s.step()) out[s.text(0)] = {s.real(1), s.text(2)};
  return out;
}

void Archive::set_generation(const GenerationRecord& g) {
  Statement s(m_db, "INSERT OR REPLACE INTO generations (generation, last_id) VALUES (?,?)", m_path);
  s.bind(1, static_cast<std::int64_t>(g.generation));
  s.bind(2, g.last_id);
  s.step();
}

std::vector<GenerationRecord> Archive::generations() const {
  Statement s(m_db, "SELECT generation, last_id FROM generations ORDER BY generation", m_path);
  std::vector<GenerationRecord> out;
  while (s.step()) out.push_back({static_cast<int>(s.integer(0)), s.integer(1)});
  return out;
}

std::string Archive::meta(const std::string& key) const {
  Statement s(m_db, "SELECT value FROM meta WHERE key = ?", m_path);
  s.bind(1, key);
  return s.step() ? s.text(0) : "";
}

void Archive::set_meta(const std::string& key, const std::string& value) {
  Statement s(m_db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?,?)", m_path);
  s.bind(1, key);
  s.bind(2, value);
  s.step();
}

}  // namespace catsim
