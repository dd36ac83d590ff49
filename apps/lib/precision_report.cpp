#include "apps/lib/precision_report.h"

#include <cstdio>
#include <iostream>

#include "api/output_checks.h"

namespace catsim {

int report_precision_study(const std::vector<PrecisionRun>& runs, bool json, const std::string& command_line) {
  bool any_ran = false, any_internal = false;
  for (const auto& r : runs) {
    any_ran = any_ran || r.ok;
    any_internal = any_internal || (!r.ok && r.internal);
    if (r.ok) continue;
    std::string line = r.error;
    for (char& c : line)
      if (c == '\n') c = ' ';
    std::fprintf(stderr, "catsim: --precisions %s: %s%s\n", r.precision.c_str(),
                 r.internal ? "internal error: " : "", line.c_str());
  }
  if (any_ran) std::cout << (json ? precision_study_json(runs, command_line) : precision_study_text(runs));
  return any_internal ? kExitInternal : any_ran ? kExitOk : kExitBadInput;
}

}  // namespace catsim
