#pragma once
// A CSV of measured accuracies keyed by model shape: `#` comment lines, a header naming the pruning keys
// (layers, hidden, heads, kv_heads, ffn; text./vision. prefixed for CLIP), `accuracy` and `source`.
// Every row carries the source of its number.

#include <string>
#include <vector>

namespace catsim {

struct AccuracyRow {
  std::vector<std::string> shape;  // values in the order of AccuracyTable::keys
  double accuracy = 0;
  std::string source;
};

struct AccuracyTable {
  std::string file;
  std::vector<std::string> keys;  // pruning keys, in the header's order
  std::vector<AccuracyRow> rows;
};

// Reads and validates the table (ConfigError with file:line:column on any problem).
AccuracyTable load_accuracy_table(const std::string& file);

}  // namespace catsim
