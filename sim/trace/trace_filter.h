#pragma once
// Which tile commands a trace keeps: those of ops whose name matches a regular expression, and those
// overlapping a window of cycles. A trace of a large model is then as small as the part one looks at.

#include <cstdint>
#include <limits>
#include <optional>
#include <regex>
#include <string>

namespace catsim {

struct TraceFilter {
  std::optional<std::regex> ops;  // ECMAScript, searched in the op name; absent = every op
  std::uint64_t start_cycle = 0;  // window [start_cycle, end_cycle)
  std::uint64_t end_cycle = std::numeric_limits<std::uint64_t>::max();

  bool keeps_op(const std::string& name) const { return !ops || std::regex_search(name, *ops); }
  bool keeps_span(std::uint64_t s, std::uint64_t e) const { return e >= start_cycle && s < end_cycle; }
};

}  // namespace catsim
