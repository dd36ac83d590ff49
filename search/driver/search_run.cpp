#include "search/driver/search_run.h"

#include <fmt/format.h>

#include <cmath>

#include "search/driver/hypervolume.h"
#include "search/stop_request.h"

namespace catsim {
namespace {

std::string join_key(const std::vector<std::string>& values) {
  std::string k;
  for (const auto& v : values) k += v + "\x1f";
  return k;
}

// "latency 0.012 s > max_latency_s 0.01" etc.: the constraints a simulated point breaks.
std::string violations(const Constraints& c, const PointResult& r) {
  std::string why;
  auto add = [&](const std::string& s) { why += (why.empty() ? "" : "; ") + s; };
  if (c.max_latency_s && r.latency_s && *r.latency_s > *c.max_latency_s)
    add(fmt::format("latency {:.6g} s > max_latency_s {:g}", *r.latency_s, *c.max_latency_s));
  if (c.max_power_w && r.power_w && *r.power_w > *c.max_power_w)
    add(fmt::format("power {:.6g} W > max_power_w {:g}", *r.power_w, *c.max_power_w));
  if (c.max_area_mm2 && r.area_mm2 && *r.area_mm2 > *c.max_area_mm2)
    add(fmt::format("area {:.6g} mm2 > max_area_mm2 {:g}", *r.area_mm2, *c.max_area_mm2));
  if (c.max_tops && r.tops && *r.tops > *c.max_tops)
    add(fmt::format("peak {:.6g} TOPS > max_tops {:g}", *r.tops, *c.max_tops));
  if (c.min_accuracy && r.accuracy && *r.accuracy < *c.min_accuracy)
    add(fmt::format("accuracy {:.6g} < min_accuracy {:g}", *r.accuracy, *c.min_accuracy));
  return why;
}

}  // namespace

SearchRun::SearchRun(const SearchSpace& space, PointDispatcher& dispatcher, Archive& archive, Progress& progress)
    : m_space(space), m_dispatcher(dispatcher), m_archive(archive), m_progress(progress),
      m_accuracy(space, archive.accuracies()), m_start(std::chrono::steady_clock::now()) {
  for (auto& p : m_archive.points()) m_done[join_key(p.values)] = std::move(p);
}

std::int64_t SearchRun::budget() const {
  const double total = m_space.total_points();
  if (m_space.budget_points > 0) return static_cast<std::int64_t>(std::min<double>(total, m_space.budget_points));
  return static_cast<std::int64_t>(std::min(total, 9.0e18));
}

bool SearchRun::exhausted() const {
  if (m_next_id >= budget() || stop_signal() != 0) return true;
  return m_space.budget_wall_s > 0 &&
         std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count() >= m_space.budget_wall_s;
}

std::vector<std::string> SearchRun::values_of(const Genes& g) const {
  std::vector<std::string> v;
  for (std::size_t i = 0; i < m_space.hardware.size(); ++i)
    v.push_back(m_space.hardware[i].values[static_cast<std::size_t>(g[i])]);
  for (const auto& s : m_space.shapes[static_cast<std::size_t>(g.back())]) v.push_back(s);
  return v;
}

std::vector<Override> SearchRun::overrides_of(const Genes& g) const {
  std::vector<Override> ov = m_space.fixed;
  const auto v = values_of(g);
  std::size_t k = 0;
  for (const auto& p : m_space.hardware) ov.push_back({"arch", p.path.substr(5), v[k++]});
  for (const auto& p : m_space.model) ov.push_back({"model", p.path.substr(6), v[k++]});
  return ov;
}

std::optional<ShapeAccuracy> SearchRun::accuracy(std::size_t shape) {
  return m_accuracy.of(shape, [&](const std::string& key, const ShapeAccuracy& a) {
    m_archive.set_accuracy(key, a.value, a.source);
  });
}

void SearchRun::finalize(PointResult& r, std::size_t shape) {
  if (const auto a = accuracy(shape)) {
    r.accuracy = a->value;
    r.accuracy_source = a->source;
  }
  if (r.status != "ok") return;
  const std::string why = violations(m_space.constraints, r);
  r.feasible = why.empty();
  r.stage = why.empty() ? "" : "constraints";
  r.reason = why;
}

std::vector<std::optional<PointResult>> SearchRun::evaluate(const std::vector<Genes>& batch) {
  std::vector<std::optional<PointResult>> out(batch.size());
  std::vector<std::size_t> todo;           // batch entries to evaluate now
  std::vector<ArchivedPoint> fresh;
  std::vector<std::string> keys(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    keys[i] = join_key(values_of(batch[i]));
    if (m_proposed.count(keys[i]) || exhausted()) continue;
    m_proposed.insert(keys[i]);
    const std::int64_t id = m_next_id++;  // the order of first proposal: the same in a resumed run
    if (m_done.count(keys[i])) continue;   // finished before a kill: not evaluated again
    const std::size_t shape = static_cast<std::size_t>(batch[i].back());
    if (m_space.constraints.min_accuracy) {  // accuracy depends on the shape only: no hardware run needed
      const auto a = accuracy(shape);
      if (a && a->value < *m_space.constraints.min_accuracy) {
        PointResult r;
        r.status = "rejected";
        r.stage = "accuracy";
        r.reason = fmt::format("accuracy {:.6g} < min_accuracy {:g}", a->value, *m_space.constraints.min_accuracy);
        r.accuracy = a->value;
        r.accuracy_source = a->source;
        ArchivedPoint p{id, values_of(batch[i]), r};
        m_archive.add_point(p);
        m_done[keys[i]] = p;
        continue;
      }
    }
    fresh.push_back({id, values_of(batch[i]), {}});
    todo.push_back(i);
  }
  // Each new shape's accuracy now, in proposal order, so a slow accuracy command never holds up the workers.
  for (const std::size_t i : todo) accuracy(static_cast<std::size_t>(batch[i].back()));
  std::vector<std::vector<Override>> points;
  for (const std::size_t i : todo) points.push_back(overrides_of(batch[i]));
  m_dispatcher.run(points, [&](std::size_t j, const ChildOutcome& o) {
    PointResult r = point_result_of_worker(o);
    r.wall_s = o.wall_s;
    finalize(r, static_cast<std::size_t>(batch[todo[j]].back()));
    fresh[j].result = r;
    m_archive.add_point(fresh[j]);
    m_done[keys[todo[j]]] = fresh[j];
    ++m_evaluated_now;
    report_progress(false);
  });
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (auto it = m_done.find(keys[i]); it != m_done.end()) out[i] = it->second.result;
  report_progress(false);
  return out;
}

void SearchRun::end_generation() { m_archive.set_generation({m_generation++, m_next_id - 1}); }

void SearchRun::report_progress(bool force) {
  if (!force && !m_progress.due()) return;
  std::vector<PointResult> results;
  for (const auto& [k, p] : m_done) results.push_back(p.result);
  ProgressState s;
  s.done = static_cast<std::int64_t>(m_done.size());
  s.total = budget();
  for (const auto& r : results) s.feasible += r.feasible ? 1 : 0;
  s.front = static_cast<std::int64_t>(pareto_front(m_space.metric, results).size());
  const auto ref = hypervolume_reference(m_space.metric, results);
  s.hypervolume = hypervolume(m_space.metric, results, ref, ideal_point(m_space.metric, results));
  s.evaluated_now = m_evaluated_now;
  m_progress.print(s);
}

}  // namespace catsim
