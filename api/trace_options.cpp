#include "api/trace_options.h"

#include <algorithm>
#include <cstdint>

#include "api/flag_params.h"
#include "arch/config/error.h"
#include "arch/config/param_reference.h"

namespace catsim {
namespace {

std::uint64_t cycle(const std::string& text, const std::string& whole, std::uint64_t fallback) {
  if (text.empty()) return fallback;
  if (text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    throw ConfigError({"command line", 0, 0}, "--trace-window",
                      "'" + whole + "' is not START:END in cycles (expected e.g. 0:100000 or 5000:)");
  const std::uint64_t v = std::stoull(text);  // 19 digits always fit 64 bits
  const Param& p = flag_param("simulate.--trace-window");
  if (static_cast<double>(v) > p.hi)
    throw ConfigError({"command line", 0, 0}, "--trace-window",
                      "'" + whole + "': " + text + " is beyond the largest cycle count (" + reference_number(p.hi) + ")");
  return v;
}

// std::regex compiles and matches recursively: a pattern's length and group nesting bound its stack use.
constexpr std::size_t kMaxRegexChars = 1000;
constexpr int kMaxRegexNesting = 32;

void check_regex_size(const std::string& re) {
  if (re.size() > kMaxRegexChars)
    throw ConfigError({"command line", 0, 0}, "--trace-ops",
                      "the regular expression has " + std::to_string(re.size()) + " characters (at most " +
                          std::to_string(kMaxRegexChars) + ")");
  int depth = 0;
  for (std::size_t i = 0; i < re.size(); ++i) {
    if (re[i] == '\\') {
      ++i;  // an escaped character is a literal
    } else if (re[i] == '(' && ++depth > kMaxRegexNesting) {
      throw ConfigError({"command line", 0, 0}, "--trace-ops",
                        "the regular expression nests groups more than " + std::to_string(kMaxRegexNesting) +
                            " deep");
    } else if (re[i] == ')') {
      depth = std::max(0, depth - 1);
    }
  }
}

}  // namespace

TraceFilter parse_trace_filter(const std::string& ops_regex, const std::string& window) {
  TraceFilter f;
  if (!ops_regex.empty()) {
    check_regex_size(ops_regex);
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
