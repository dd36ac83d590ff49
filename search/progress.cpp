#include "search/progress.h"

#include <fmt/format.h>

#include <cstdio>
#include <utility>

namespace catsim {

Progress::Progress(bool enabled, bool terminal, double log_interval_s, std::string label)
    : m_enabled(enabled), m_terminal(terminal), m_label(std::move(label)), m_interval_s(terminal ? 0.5 : log_interval_s),
      m_start(std::chrono::steady_clock::now()), m_last(m_start) {}

bool Progress::due() const {
  return m_enabled &&
         std::chrono::duration<double>(std::chrono::steady_clock::now() - m_last).count() >= m_interval_s;
}

std::string Progress::line(const ProgressState& s) const {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  std::string eta = "-";
  const std::int64_t left = s.total - s.done;
  if (s.evaluated_now > 0 && left > 0) {
    const double secs = elapsed / static_cast<double>(s.evaluated_now) * static_cast<double>(left);
    eta = fmt::format("{}m{:02}s", static_cast<long>(secs) / 60, static_cast<long>(secs) % 60);
  } else if (left <= 0) {
    eta = "0m00s";
  }
  if (!s.has_front)
    return fmt::format("{}: {}/{} points, {} ok, elapsed {:.0f} s, ETA {}", m_label, s.done, s.total, s.feasible,
                       elapsed, eta);
  return fmt::format("{}: {}/{} points, {} feasible, front {}, hypervolume {:.4f}, elapsed {:.0f} s, ETA {}", m_label,
                     s.done, s.total, s.feasible, s.front, s.hypervolume, elapsed, eta);
}

void Progress::print(const ProgressState& s) {
  if (!m_enabled) return;
  m_last = std::chrono::steady_clock::now();
  if (m_terminal) std::fprintf(stderr, "\r%-110s", line(s).c_str());
  else std::fprintf(stderr, "%s\n", line(s).c_str());
  std::fflush(stderr);
}

void Progress::finish(const ProgressState& s) {
  if (!m_enabled) return;
  print(s);
  if (m_terminal) std::fprintf(stderr, "\n");
}

}  // namespace catsim
