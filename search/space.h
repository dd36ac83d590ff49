#pragma once
// A search space read from space.yaml: the base arch and model, the parameters that vary (any `--set`
// path of the arch; the model's pruning keys), constraints, metric mode, optimizer, budget and accuracy
// source. Every problem is a one-line ConfigError with the space file's line:column.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "arch/config/error.h"
#include "arch/config/overrides.h"
#include "search/shape_list.h"
#include "sim/run/fidelity.h"

namespace catsim {

enum class MetricMode { carbon, latency, energy, all, all_hw };

MetricMode parse_metric_mode(const std::string& text, const SourceLocation& where);
std::string to_string(MetricMode m);

// One varied parameter: its `--set` path and the values it takes (YAML text, in the order declared).
struct SearchParam {
  std::string path;  // arch.systolic.rows, model.pruning.layers, model.pruning.text.heads ...
  std::vector<std::string> values;
  SourceLocation where;
  bool is_model() const { return path.rfind("model.", 0) == 0; }
  std::string pruning_key() const;  // model.pruning.text.layers -> text.layers
};

struct Constraints {
  std::optional<double> max_latency_s, max_area_mm2, max_tops, min_accuracy, max_power_w;
};

// The analytical screen (stage `screen`): a point whose closed-form latency estimate exceeds
// max_latency_s x (1 + latency_margin) is dropped without a cycle-level run.
struct ScreenSettings {
  bool on = false;
  std::string estimator = "roofline";  // roofline | sequential (sim/analytic)
  double latency_margin = 0.1;         // fraction above the bound the estimate may reach
};

struct OptimizerSettings {
  std::string name = "grid";   // grid | random | nsga2 | bilevel
  int population = 40;         // nsga2: individuals per generation (multiple of 4, >= 8)
  std::string outer = "grid";  // bilevel: over shapes, grid | random
  std::string inner = "grid";  // bilevel: over hardware per shape, grid | random
  std::int64_t inner_points = 0;  // bilevel: hardware points per shape (0 = every one)
};

struct AccuracySettings {
  std::string source = "none";  // none (all-hw) | table | command | proxy
  std::string file;             // table: CSV path, resolved against the space file
  bool nearest = false;         // table: a shape not in the table takes the nearest row (warning)
  bool table_is_space = false;  // table: the table's shapes are the model space
  std::string command;          // command: shell command with {key} placeholders
  double timeout_s = 3600;      // command: per shape
};

struct SearchSpace {
  std::string file;
  std::string name;
  std::string arch_file, model_file;  // resolved paths of the base
  std::vector<Override> fixed;        // applied to every point (fixed: and carbon:)
  std::vector<SearchParam> hardware;  // arch.* parameters
  std::vector<SearchParam> model;     // model.pruning.* parameters (the shape)
  ShapeList shapes;                   // every model shape (cross product or the table's rows)
  MetricMode metric = MetricMode::all;
  Constraints constraints;
  OptimizerSettings optimizer;
  AccuracySettings accuracy;
  ScreenSettings screen;
  Fidelity fidelity = Fidelity::cycle;  // how every point is timed (fidelity:; sweep --fidelity)
  std::int64_t budget_points = 0;  // 0 = the whole space (grid) / required otherwise
  double budget_wall_s = 0;        // 0 = no wall-time limit
  std::uint64_t seed = 1;
  int workers = 0;          // 0 = the machine's cores
  double timeout_s = 300;   // per point
  std::string digest;       // hash of the file's bytes and the resolved settings, checked by --resume

  double hardware_points() const;  // size of the hardware cross product
  double total_points() const { return hardware_points() * static_cast<double>(shapes.size()); }
};

// Hardware value indices (one per hardware parameter) then the shape index.
using Genes = std::vector<std::int64_t>;

// The Genes of flat index `i` of the cross product (shape outermost, last hardware parameter fastest).
Genes genes_at(const SearchSpace& space, std::uint64_t i);

// Parses and validates the file; `metric_override` (the --metric flag) replaces the file's metric.
SearchSpace load_space(const std::string& file, const std::string& metric_override = "");

struct BaseFiles {
  const std::string& arch;
  const std::string& model;
  const std::vector<Override>& fixed;
};

// Loads the base with `path` (arch.KEY or model.KEY) set to `value`, the way a point would, and rethrows any
// rejection as a ConfigError at `where`.
void check_parameter_value(const BaseFiles& base, const std::string& path, const std::string& value,
                           const SourceLocation& where);

// Expands `lo:hi:step` (step `xN` multiplies) or `a,b,c` into a value list; `where` locates errors.
std::vector<std::string> expand_values(const std::string& spec, const SourceLocation& where, const std::string& key);

}  // namespace catsim
