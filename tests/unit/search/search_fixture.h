#pragma once
// Test-only pieces for search tests: a space over the shipped catransformers_baseline + bert-base, and a
// fake evaluator whose metrics are closed-form functions of the point (no simulation), so fronts and
// constraints are derivable by hand and runs are fast.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "search/driver/search_driver.h"
#include "search/space.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim::test {

// Writes a space file beside the scratch dir, with the shipped base arch and model given as paths.
inline std::string write_space(const std::string& name, const std::string& body) {
  return write_file(name, "arch: " + arch_config("catransformers_baseline.yaml") +
                              "\nmodel: " + model_config("bert-base.yaml") + "\n" + body);
}

inline std::string fresh_dir(const std::string& name) {
  const auto d = scratch_dir() / name;
  std::filesystem::remove_all(d);
  return d.string();
}

inline std::int64_t value_of(const std::vector<Override>& ov, const std::string& path, std::int64_t fallback) {
  std::int64_t v = fallback;
  for (const auto& o : ov)
    if (o.target + "." + o.path == path) v = std::stoll(o.value);
  return v;
}

// latency = 1 / (cores x cols) s, area = cores x cols / 16 mm2, total carbon = cores x cols + layers g,
// operational carbon = 2 x layers g, power = cols / 32 W, peak TOPS = cores x cols / 64.
// `delay_ms` > 0 sleeps a pseudo-random 0..delay_ms per point, so workers finish out of order.
inline PointResult fake_evaluate(const std::vector<Override>& ov, int delay_ms = 0) {
  const auto cores = value_of(ov, "arch.cores", 2), cols = value_of(ov, "arch.systolic.cols", 128);
  const auto layers = value_of(ov, "model.pruning.layers", 12);
  if (delay_ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds((cores * 7 + cols * 13 + layers * 3) % (delay_ms + 1)));
  PointResult r;
  r.status = "ok";
  r.latency_s = 1.0 / static_cast<double>(cores * cols);
  r.area_mm2 = static_cast<double>(cores * cols) / 16.0;
  r.tops = static_cast<double>(cores * cols) / 64.0;
  r.power_w = static_cast<double>(cols) / 32.0;
  r.energy_j = 0.001 * static_cast<double>(layers);
  r.carbon_operational_g = 2.0 * static_cast<double>(layers);
  r.carbon_embodied_g = static_cast<double>(cores * cols);
  r.carbon_total_g = *r.carbon_operational_g + *r.carbon_embodied_g;
  return r;
}

inline PointEvaluator fake_evaluator(int delay_ms = 0) {
  return [delay_ms](const SearchSpace&, const std::vector<Override>& ov) { return fake_evaluate(ov, delay_ms); };
}

// Every archived row with its timing removed, for comparing two archives.
inline std::vector<std::string> archive_rows(const std::string& dir, const SearchSpace& s) {
  Archive a(dir + "/archive.sqlite", s.digest, [&] {
    std::vector<std::string> c;
    for (const auto& p : s.hardware) c.push_back(p.path);
    for (const auto& p : s.model) c.push_back(p.path);
    return c;
  }());
  std::vector<std::string> rows;
  for (auto p : a.points()) {
    p.result.wall_s = 0;
    rows.push_back(std::to_string(p.id) + " " + nlohmann::json(p.values).dump() + " " + to_json(p.result).dump());
  }
  return rows;
}

}  // namespace catsim::test
