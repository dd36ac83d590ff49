#include "api/against_csv.h"

#include <cmath>
#include <map>

#include "arch/config/error.h"
#include "arch/io/csv_table.h"

namespace catsim {
namespace {

constexpr double kMaxCycles = 1e18;  // a per-op figure beyond this is a typo, not an estimate

std::uint64_t to_cycles(const CsvTable& t, const CsvRow& row, std::size_t col, double cycles) {
  if (cycles > kMaxCycles)
    throw ConfigError({t.file, row.line, 1}, t.header[col], "too large (expected at most 1e18 cycles)");
  return static_cast<std::uint64_t>(std::llround(cycles));
}

// A file none of whose rows names an op of this model has nothing to compare: no error of 0 %.
void require_a_match(const AgainstFile& f, const std::string& path, const std::string& key) {
  for (const auto& r : f.rows)
    if (r) return;
  throw ConfigError({path, 1, 1}, key,
                    "no row names an op of this model" +
                        (f.unknown_ops.empty() ? std::string(" (the file has no rows)")
                                               : " (the first is '" + f.unknown_ops.front() +
                                                     "'; catsim's op names are in `catsim info MODEL`)"));
}

AgainstFile read_scalesim_report(const CsvTable& t, std::size_t ops, const ModelSpec& model) {
  if (!model.is_gemm_list())
    throw ConfigError({t.file, 1, 1}, "LayerID",
                      "a SCALE-Sim COMPUTE_REPORT.csv compares only with a kind: gemm or gemms model (" + model.name +
                          " is a transformer; write a CSV with columns op,cycles instead)");
  const std::size_t id = *t.column("LayerID");
  const auto total = t.column("Total Cycles");
  if (!total) throw ConfigError({t.file, 1, 1}, "Total Cycles", "missing column (a SCALE-Sim COMPUTE_REPORT.csv has it)");
  AgainstFile f;
  f.scalesim = true;
  f.rows.resize(ops);
  for (const CsvRow& row : t.rows) {
    const double layer = csv_number(t, row, id);
    const std::uint64_t cycles = to_cycles(t, row, *total, csv_number(t, row, *total)) + 1;
    if (layer != std::floor(layer) || layer >= static_cast<double>(ops)) {
      f.unknown_ops.push_back("LayerID " + row.fields[id]);
      continue;
    }
    auto& slot = f.rows[static_cast<std::size_t>(layer)];
    if (slot) throw ConfigError({t.file, row.line, 1}, "LayerID", row.fields[id] + " appears twice");
    slot = OpEstimateRow{cycles, std::nullopt};
  }
  require_a_match(f, t.file, "LayerID");
  return f;
}

}  // namespace

AgainstFile read_against(const std::string& path, const std::vector<std::string>& ops, double clock_mhz,
                         const ModelSpec& model) {
  const CsvTable t = read_csv_table(path);
  if (t.column("LayerID")) return read_scalesim_report(t, ops.size(), model);
  const auto op = t.column("op");
  if (!op) throw ConfigError({path, 1, 1}, "op", "missing column (expected op, then cycles or latency_s, optional energy_j)");
  const auto cycles = t.column("cycles"), latency = t.column("latency_s"), energy = t.column("energy_j");
  if (!cycles && !latency)
    throw ConfigError({path, 1, 1}, "cycles", "missing column (expected cycles or latency_s beside op)");
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < ops.size(); ++i) index.emplace(ops[i], i);
  AgainstFile f;
  f.rows.resize(ops.size());
  for (const CsvRow& row : t.rows) {
    if (*op >= row.fields.size() || row.fields[*op].empty())
      throw ConfigError({path, row.line, 1}, "op", "missing op name");
    const std::string& name = row.fields[*op];
    const double c = cycles ? csv_number(t, row, *cycles) : csv_number(t, row, *latency) * clock_mhz * 1e6;
    OpEstimateRow est{to_cycles(t, row, cycles ? *cycles : *latency, c), std::nullopt};
    if (energy && *energy < row.fields.size() && !row.fields[*energy].empty()) est.energy_j = csv_number(t, row, *energy);
    auto it = index.find(name);
    if (it == index.end()) {
      f.unknown_ops.push_back(name);
      continue;
    }
    if (f.rows[it->second]) throw ConfigError({path, row.line, 1}, "op", name + " appears twice");
    f.rows[it->second] = est;
  }
  require_a_match(f, path, "op");
  return f;
}

}  // namespace catsim
