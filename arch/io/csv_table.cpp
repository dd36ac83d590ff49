#include "arch/io/csv_table.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "arch/config/error.h"
#include "arch/io/input_file.h"

namespace catsim {
namespace {

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

std::string squash(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> f;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) f.push_back(trim(cell));
  if (!line.empty() && line.back() == ',') f.emplace_back();
  while (!f.empty() && f.back().empty()) f.pop_back();
  return f;
}

}  // namespace

std::optional<std::size_t> CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (squash(header[i]) == squash(name)) return i;
  return std::nullopt;
}

CsvTable parse_csv_table(const std::string& text, const std::string& file) {
  CsvTable t;
  t.file = file;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    std::vector<std::string> fields = split(line);
    if (t.header.empty()) {
      t.header = std::move(fields);
      continue;
    }
    if (fields.size() > t.header.size())
      throw ConfigError({file, number, 1}, "",
                        "row has " + std::to_string(fields.size()) + " fields, the header " +
                            std::to_string(t.header.size()) + " (expected one value per column)");
    t.rows.push_back({number, std::move(fields)});
  }
  if (t.header.empty()) throw ConfigError({file, 0, 0}, "", "empty file (expected a header row of column names)");
  return t;
}

CsvTable read_csv_table(const std::string& path) { return parse_csv_table(read_input_file(path), path); }

double csv_number(const CsvTable& t, const CsvRow& row, std::size_t column) {
  const std::string& name = t.header[column];
  if (column >= row.fields.size() || row.fields[column].empty())
    throw ConfigError({t.file, row.line, 1}, name, "missing value (expected a non-negative number)");
  const std::string& s = row.fields[column];
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v) || v < 0)
    throw ConfigError({t.file, row.line, 1}, name, "'" + s + "' is not a finite non-negative number");
  return v;
}

}  // namespace catsim
