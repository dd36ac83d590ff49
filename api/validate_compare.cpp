#include "api/validate_compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cctype>
#include <map>

#include "api/format.h"

namespace catsim {
namespace {

// Cores that had work in the run's op (matmuls: non-empty shares; other ops: all cores).
int cores_used(const SimulationResult& r, std::size_t op) {
  const auto& cores = r.program.ops.size() > op ? r.program.ops[op].cores : std::vector<CoreGemm>{};
  if (cores.empty()) return r.program.cores;
  return static_cast<int>(std::count_if(cores.begin(), cores.end(), [](const CoreGemm& c) { return !c.share.empty(); }));
}

// Why an estimate of `o` misses what the engine measured (a reading of the run's unit busy times).
std::string reason(const SimulationResult& run, std::size_t i, double error, const std::string& estimator) {
  const OpResult& o = run.ops[i];
  if (error > 0) {
    if (estimator == "sequential" && (o.dma_busy > 0 || o.vector_busy > 0) && o.array_busy > 0)
      return "lost overlap: the run overlaps loads, stores and vector work with the array";
    return "overlap across ops: the run starts the op under its predecessor or beside other ops";
  }
  const bool beside = (i > 0 && run.ops[i - 1].end_cycle > o.start_cycle) ||
                      (i + 1 < run.ops.size() && run.ops[i + 1].start_cycle < o.end_cycle);
  if (beside && run.program.cores > 1 && o.dram_bytes + o.global_bytes > 0)
    return "contention across cores: ran beside a neighbouring op, sharing DRAM and the global buffer";
  if (beside) return "overlap across ops: the op's span in the run includes time under its neighbour";
  if (o.bound == Bound::memory) return "memory-bound: latency, bursts and port limits beyond bytes / bandwidth";
  if (cores_used(run, i) > 1 && o.dram_bytes + o.global_bytes > 0)
    return "contention across cores: the cores share DRAM and the global buffer";
  return "tile fill/drain: the first load and the last store are not hidden behind the array";
}

double fraction(double est, double ref) { return (est - ref) / ref; }

}  // namespace

Comparison compare(const ArchSpec& arch, const Evaluation& run, const std::string& estimator,
                   const std::vector<std::optional<OpEstimateRow>>& estimates, std::optional<double> estimate_energy_j) {
  Comparison c;
  c.estimator = estimator;
  const std::vector<EnergyReport> energies = op_energies(arch, run.sim);
  double sum = 0, energy_sum = 0;
  std::size_t n = 0, energy_n = 0;
  for (std::size_t i = 0; i < run.sim.ops.size(); ++i) {
    const OpResult& o = run.sim.ops[i];
    OpComparison row{o.name, o.kind, o.cycles, 0, std::nullopt, energies[i].energy_j, std::nullopt, std::nullopt, ""};
    if (!estimates[i]) {
      c.missing_ops.push_back(o.name);
      c.ops.push_back(row);
      continue;
    }
    row.estimate_cycles = estimates[i]->cycles;
    c.estimate_cycles += row.estimate_cycles;
    if (o.cycles > 0) {
      row.error = fraction(static_cast<double>(row.estimate_cycles), static_cast<double>(o.cycles));
      sum += std::abs(*row.error), ++n;
      if (std::abs(*row.error) > c.max_abs_error || c.max_error_op.empty())
        c.max_abs_error = std::abs(*row.error), c.max_error_op = o.name;
      if (*row.error != 0) row.reason = reason(run.sim, i, *row.error, estimator);
    }
    row.estimate_energy_j = estimates[i]->energy_j;
    if (row.estimate_energy_j && row.energy_j > 0) {
      row.energy_error = fraction(*row.estimate_energy_j, row.energy_j);
      energy_sum += std::abs(*row.energy_error), ++energy_n;
    }
    c.ops.push_back(row);
  }
  c.mape = n ? sum / static_cast<double>(n) : 0;
  c.energy_mape = energy_n ? energy_sum / static_cast<double>(energy_n) : 0;
  c.cycles = run.sim.makespan_cycles;
  c.total_error = c.cycles ? fraction(static_cast<double>(c.estimate_cycles), static_cast<double>(c.cycles)) : 0;
  c.energy_j = run.energy.energy_j;
  c.estimate_energy_j = estimate_energy_j;
  if (estimate_energy_j && run.energy.energy_j > 0) c.total_energy_error = fraction(*estimate_energy_j, run.energy.energy_j);
  return c;
}

Comparison compare(const ArchSpec& arch, const Evaluation& run, const Evaluation& estimate) {
  const std::vector<EnergyReport> energies = op_energies(arch, estimate.sim);
  std::vector<std::optional<OpEstimateRow>> rows;
  for (std::size_t i = 0; i < estimate.sim.ops.size(); ++i)
    rows.push_back(OpEstimateRow{estimate.sim.ops[i].cycles, energies[i].energy_j});
  return compare(arch, run, estimate.sim.fidelity, rows, estimate.energy.energy_j);
}

nlohmann::json to_json(const Comparison& c) {
  using nlohmann::json;
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  json ops = json::array();
  for (const auto& o : c.ops)
    ops.push_back({{"name", o.name},
                   {"kind", o.kind},
                   {"cycles", o.cycles},
                   {"estimate_cycles", o.estimate_cycles},
                   {"error", opt(o.error)},
                   {"energy_j", o.energy_j},
                   {"estimate_energy_j", opt(o.estimate_energy_j)},
                   {"energy_error", opt(o.energy_error)},
                   {"reason", o.reason}});
  return {{"estimator", c.estimator},
          {"mape", c.mape},
          {"energy_mape", c.energy_mape},
          {"max_abs_error", c.max_abs_error},
          {"max_error_op", c.max_error_op},
          {"cycles", c.cycles},
          {"estimate_cycles", c.estimate_cycles},
          {"total_error", c.total_error},
          {"energy_j", opt(c.energy_j)},
          {"estimate_energy_j", opt(c.estimate_energy_j)},
          {"total_energy_error", opt(c.total_energy_error)},
          {"unknown_ops", c.unknown_ops},
          {"missing_ops", c.missing_ops},
          {"ops", ops}};
}

namespace {

// "L3.attn.q_proj" -> "L*.attn.q_proj" (also inside a tower: "text.L3.x" -> "text.L*.x").
std::string any_layer(const std::string& name) {
  std::string out;
  std::size_t i = 0;
  while (i < name.size()) {
    std::size_t j = i + 1;
    while (j < name.size() && std::isdigit(static_cast<unsigned char>(name[j]))) ++j;
    const bool layer = name[i] == 'L' && (i == 0 || name[i - 1] == '.') && j > i + 1 && j < name.size() && name[j] == '.';
    out += layer ? std::string("L*") : name.substr(i, j - i);
    i = j;
  }
  return out;
}

std::string pct(const std::optional<double>& v) { return v ? fmt::format("{:+.1f}%", 100 * *v) : "-"; }
std::string joules(const std::optional<double>& v) { return v ? fmt::format("{:.4g}", *v) : "-"; }

}  // namespace

std::string comparison_text(const Comparison& c, std::size_t largest) {
  std::string s = fmt::format("estimator   {}\n", c.estimator);
  s += fmt::format("{:<28} {:<14} {:>12} {:>12} {:>9} {:>11} {:>11} {:>9}\n", "op", "kind", "cycles", "estimate",
                   "error", "energy J", "estimate J", "error");
  for (const auto& o : c.ops)
    s += fmt::format("{:<28} {:<14} {:>12} {:>12} {:>9} {:>11} {:>11} {:>9}\n", o.name, o.kind, with_commas(o.cycles),
                     with_commas(o.estimate_cycles), pct(o.error), joules(o.energy_j), joules(o.estimate_energy_j),
                     pct(o.energy_error));
  s += fmt::format("MAPE        latency {:.1f}%, energy {:.1f}% (per op)\n", 100 * c.mape, 100 * c.energy_mape);
  s += fmt::format("max error   {:.1f}% ({})\n", 100 * c.max_abs_error, c.max_error_op.empty() ? "-" : c.max_error_op);
  s += fmt::format("total       {} estimated vs {} cycles: {}; energy {} vs {} J: {}\n", with_commas(c.estimate_cycles),
                   with_commas(c.cycles), pct(c.total_error), joules(c.estimate_energy_j), joules(c.energy_j),
                   pct(c.total_energy_error));
  std::vector<const OpComparison*> ranked;
  for (const auto& o : c.ops)
    if (o.error && *o.error != 0) ranked.push_back(&o);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const OpComparison* a, const OpComparison* b) { return std::abs(*a->error) > std::abs(*b->error); });
  // The same op of every layer errs alike: list it once, as L*.name with its count.
  std::map<std::string, std::size_t> seen;
  std::vector<std::pair<const OpComparison*, std::string>> listed;
  for (const OpComparison* o : ranked) {
    const std::string key = any_layer(o->name);
    if (seen[key]++ == 0) listed.emplace_back(o, key);
  }
  if (listed.size() > largest) listed.resize(largest);
  if (!listed.empty()) s += "largest errors:\n";
  for (const auto& [o, key] : listed) {
    const std::string name = seen[key] > 1 ? fmt::format("{} ({} ops)", key, seen[key]) : o->name;
    s += fmt::format("  {:<28} {:>9}  {}\n", name, pct(o->error), o->reason);
  }
  if (!c.unknown_ops.empty()) {
    s += fmt::format("unknown ops in the file ({}, not in the model):", c.unknown_ops.size());
    for (const auto& n : c.unknown_ops) s += " " + n;
    s += "\n";
  }
  if (!c.missing_ops.empty()) {
    s += fmt::format("missing ops ({}, in the model but not in the file):", c.missing_ops.size());
    for (const auto& n : c.missing_ops) s += " " + n;
    s += "\n";
  }
  return s;
}

}  // namespace catsim
