#pragma once
// Search progress on stderr: one line rewritten in place on a terminal (done/total, feasible, front size,
// hypervolume, ETA), or a log line every `log_interval_s` seconds otherwise.

#include <chrono>
#include <cstdint>
#include <string>

namespace catsim {

struct ProgressState {
  std::int64_t done = 0, total = 0, feasible = 0, front = 0;
  double hypervolume = 0;
  std::int64_t evaluated_now = 0;  // evaluated by this process, for the ETA
  bool has_front = true;           // a search's front and hypervolume; a sweep has none
};

// Rate-limited progress reporting; the search calls print() when due() so building a line (front and
// hypervolume of every point so far) costs nothing between lines.
class Progress {
 public:
  // `label` starts every line ("search", "sweep").
  Progress(bool enabled, bool terminal, double log_interval_s = 10, std::string label = "search");
  bool due() const;  // a line should be printed now
  void print(const ProgressState& s);
  void finish(const ProgressState& s);

 private:
  std::string line(const ProgressState& s) const;
  bool m_enabled, m_terminal;
  std::string m_label;
  double m_interval_s;
  std::chrono::steady_clock::time_point m_start, m_last;
};

}  // namespace catsim
