#pragma once
// --trace-ops REGEX and --trace-window START:END (cycles) into a TraceFilter for the trace writer.

#include <string>

#include "sim/trace/trace_filter.h"

namespace catsim {

// Either side of the window may be empty ("5000:" = from cycle 5000 on); END must exceed START.
// A bad value is a ConfigError naming the option.
TraceFilter parse_trace_filter(const std::string& ops_regex, const std::string& window);

}  // namespace catsim
