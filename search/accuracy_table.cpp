#include "search/accuracy_table.h"

#include <cmath>
#include <set>
#include <sstream>

#include "arch/config/error.h"
#include "arch/io/input_file.h"

namespace catsim {
namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) {
    const auto b = cell.find_first_not_of(" \t\r");
    const auto e = cell.find_last_not_of(" \t\r");
    cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
  }
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

bool is_shape_key(const std::string& k) {
  std::string base = k;
  for (const char* tower : {"text.", "vision."})
    if (k.rfind(tower, 0) == 0) base = k.substr(std::string(tower).size());
  return base == "layers" || base == "hidden" || base == "heads" || base == "kv_heads" || base == "ffn";
}

}  // namespace

AccuracyTable load_accuracy_table(const std::string& file) {
  AccuracyTable t;
  t.file = file;
  std::istringstream in(read_input_file(file));
  std::string line;
  int line_no = 0, acc_col = -1, src_col = -1;
  std::size_t columns = 0;
  std::set<std::vector<std::string>> seen;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#' || line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto cells = split_csv_line(line);
    if (columns == 0) {
      columns = cells.size();
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (cells[i] == "accuracy") acc_col = static_cast<int>(i);
        else if (cells[i] == "source") src_col = static_cast<int>(i);
        else if (is_shape_key(cells[i])) t.keys.push_back(cells[i]);
        else
          throw ConfigError({file, line_no, 1}, cells[i],
                            "unknown column (expected pruning keys layers, hidden, heads, kv_heads, ffn — text./vision. "
                            "for CLIP — then accuracy and source)");
      }
      if (acc_col < 0 || src_col < 0 || t.keys.empty())
        throw ConfigError({file, line_no, 1}, "header",
                          "needs at least one shape column, `accuracy` and `source` (every row names its source)");
      continue;
    }
    if (cells.size() != columns)
      throw ConfigError({file, line_no, 1}, "row",
                        "has " + std::to_string(cells.size()) + " cells (expected " + std::to_string(columns) + ")");
    AccuracyRow r;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const int ci = static_cast<int>(i);
      if (ci == acc_col) {
        char* end = nullptr;
        r.accuracy = std::strtod(cells[i].c_str(), &end);
        if (cells[i].empty() || *end != '\0' || !std::isfinite(r.accuracy) || r.accuracy < 0)
          throw ConfigError({file, line_no, 1}, "accuracy", "not a finite non-negative number: '" + cells[i] + "'");
      } else if (ci == src_col) {
        r.source = cells[i];
      } else {
        char* end = nullptr;
        const long long v = std::strtoll(cells[i].c_str(), &end, 10);
        if (cells[i].empty() || *end != '\0' || v < 1)
          throw ConfigError({file, line_no, 1}, "shape", "not a positive integer: '" + cells[i] + "'");
        r.shape.push_back(cells[i]);
      }
    }
    if (r.source.empty()) throw ConfigError({file, line_no, 1}, "source", "empty (every row must name its source)");
    if (!seen.insert(r.shape).second) throw ConfigError({file, line_no, 1}, "row", "duplicate shape");
    t.rows.push_back(std::move(r));
  }
  if (t.rows.empty()) throw ConfigError({file, 0, 0}, "rows", "the table has no rows");
  return t;
}

}  // namespace catsim
