#pragma once
// A small CSV reader for user tables (per-op estimates, SCALE-Sim topologies and reports): one header row,
// then data rows, each with its line number so every complaint points at the line. Fields are trimmed;
// trailing empty fields (SCALE-Sim ends rows with a comma) and blank lines are dropped; no quoting.

#include <optional>
#include <string>
#include <vector>

namespace catsim {

struct CsvRow {
  int line = 0;  // 1-based line in the file
  std::vector<std::string> fields;
};

struct CsvTable {
  std::string file;
  std::vector<std::string> header;  // trimmed column names, as written
  std::vector<CsvRow> rows;

  // Index of the first column whose name matches (case-insensitively, ignoring spaces), or nullopt.
  std::optional<std::size_t> column(const std::string& name) const;
};

// Reads `path` (read_input_file's limits); ConfigError when it has no header row.
CsvTable read_csv_table(const std::string& path);

// Parses `text` as read from `file` (for tests).
CsvTable parse_csv_table(const std::string& text, const std::string& file);

// A field as a finite non-negative number; ConfigError at file:line naming the column otherwise.
double csv_number(const CsvTable& t, const CsvRow& row, std::size_t column);

}  // namespace catsim
