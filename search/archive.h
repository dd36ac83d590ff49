#pragma once
// The search archive: one SQLite database (WAL) in the output folder holding one row per evaluated point,
// committed the moment the point completes, plus the accuracy of every shape and the generations.
// A killed search loses at most the points still running; --resume reads everything back.

#include <sqlite3.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "search/point_result.h"

namespace catsim {

struct ArchivedPoint {
  std::int64_t id = 0;              // order in which the optimizer proposed it (deterministic)
  std::vector<std::string> values;  // parameter values, hardware then model, in the space's order
  PointResult result;
};

struct GenerationRecord {
  int generation = 0;
  std::int64_t last_id = 0;  // points with id <= last_id existed after this generation
};

// The archive of one search folder: rows go in one committed transaction each, so a killed search keeps
// every finished point, and a resumed one reads them back in proposal order.
class Archive {
 public:
  // Opens (creating) `path`. A fresh archive records `digest`; an existing one must carry the same digest.
  Archive(const std::string& path, const std::string& digest, const std::vector<std::string>& columns);
  ~Archive();
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  void add_point(const ArchivedPoint& p);  // one committed transaction
  std::vector<ArchivedPoint> points() const;  // ordered by id

  void set_accuracy(const std::string& shape_key, double accuracy, const std::string& source);
  std::map<std::string, std::pair<double, std::string>> accuracies() const;

  void set_generation(const GenerationRecord& g);
  std::vector<GenerationRecord> generations() const;

  std::string meta(const std::string& key) const;
  void set_meta(const std::string& key, const std::string& value);

 private:
  void init(const std::string& digest, const std::vector<std::string>& columns);  // tables, WAL, digest check
  // One column per parameter, named by its path and holding its value typed (integer, real or text), beside
  // the JSON list a resume reads; an archive written before them gets them, filled from that list.
  void add_parameter_columns(const std::vector<std::string>& columns);
  void exec(const std::string& sql) const;
  sqlite3* m_db = nullptr;
  std::string m_path;
  std::size_t m_parameters = 0;  // parameter columns, in the order of a point's values
  std::string m_insert;          // the statement add_point runs, with those columns
};

}  // namespace catsim
