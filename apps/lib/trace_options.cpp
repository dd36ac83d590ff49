#include "apps/lib/trace_options.h"

#include "arch/config/error.h"

namespace catsim {
namespace {

std::uint64_t cycle(const std::string& text, const std::string& whole, std::uint64_t fallback) {
  if (text.empty()) return fallback;
  if (text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    throw ConfigError({"command line", 0, 0}, "--trace-window",
                      "'" + whole + "' is not START:END in cycles (expected e.g. 0:100000 or 5000:)");
  return std::stoull(text);
}

}  // namespace

TraceFilter parse_trace_filter(const std::string& ops_regex, const std::string& window) {
  TraceFilter f;
  if (!ops_regex.empty()) {
    try {
      f.ops = std::regex(ops_regex, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw ConfigError({"command line", 0, 0}, "--trace-ops",
                        "'" + ops_regex + "' is not a regular expression (" + e.what() + ")");
    }
  }
  if (!window.empty()) {
    const auto colon = window.find(':');
    if (colon == std::string::npos)
      throw ConfigError({"command line", 0, 0}, "--trace-window",
                        "'" + window + "' is not START:END in cycles (expected e.g. 0:100000 or 5000:)");
    f.start_cycle = cycle(window.substr(0, colon), window, 0);
    f.end_cycle = cycle(window.substr(colon + 1), window, f.end_cycle);
    if (f.end_cycle <= f.start_cycle)
      throw ConfigError({"command line", 0, 0}, "--trace-window",
                        "END " + std::to_string(f.end_cycle) + " is not after START " + std::to_string(f.start_cycle));
  }
  return f;
}

}  // namespace catsim
