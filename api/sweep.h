#pragma once
// `catsim sweep` as a call: the cross product of varied arch/model keys, every point evaluated as a search
// point (staged: configuration, feasibility, simulation, energy, carbon) in forked workers, and its table.

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "api/design.h"
#include "search/eval_pool.h"
#include "search/point_result.h"
#include "search/space.h"

namespace catsim {

struct SweepRequest {
  DesignInputs design;              // the base design; `set` fixes keys for every point
  std::vector<std::string> vary;    // KEY=a,b,c or KEY=lo:hi[:step] (step N adds, xN multiplies)
  int workers = 0;                  // worker processes (0: one per core)
  double timeout_s = 300;           // per point (0: none)
  Fidelity fidelity = Fidelity::cycle;  // how every point is timed
};

// A sweep's points, checked before any runs: ConfigError for a bad --vary, an unknown key or value, or more
// than a million points.
class Sweep {
 public:
  explicit Sweep(const SweepRequest& request);

  std::uint64_t points() const;
  // Point i's varied keys and values, in --vary's order.
  std::vector<std::pair<std::string, std::string>> values_at(std::uint64_t i) const;

  // Evaluates every point in forked workers; `on_point(i, result)` runs in this process as each finishes.
  // A point whose worker failed or was unreadable is a `failed` (bad input: `invalid`) result with its reason.
  std::vector<PointResult> run(const std::function<void(std::uint64_t, const PointResult&)>& on_point = {}) const;
  // The workers' jobs, one per point.
  std::vector<EvalPool::Job> jobs() const;
  // run() with progress on stderr when `progress` (points done, ok, elapsed, ETA): a line rewritten in place
  // on a terminal, else one every 10 s and one at the end.
  std::vector<PointResult> run(bool progress) const;

  // The points evaluated in forked workers as the caller asks for them: next() returns the next point to
  // finish (completion order) with its index and result, nullopt after the last.
  class Stream {
   public:
    explicit Stream(const Sweep& sweep);
    std::optional<std::pair<std::uint64_t, PointResult>> next();

   private:
    EvalPool::Stream m_pool;
  };

  // Point i's row (the keys of rows() below).
  nlohmann::json row(std::uint64_t i, const PointResult& r) const;

  // One row per point: the varied keys, then status, latency_s, energy_j, power_w, tops_per_w, peak_tops,
  // area_mm2, carbon_total_g, carbon_operational_g, carbon_embodied_g, array_utilization, bound and reason;
  // as CSV text, or as a JSON array (varied numbers as JSON numbers, absent metrics null).
  std::string csv(const std::vector<PointResult>& results) const;
  nlohmann::json rows(const std::vector<PointResult>& results) const;

 private:
  SweepRequest m_request;
  SearchSpace m_space;
};

}  // namespace catsim
