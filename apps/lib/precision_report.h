#pragma once
// `--precisions` on the command line: the study's failures on stderr, its table or JSON on stdout, and the
// exit code that sums them up.

#include <string>
#include <vector>

#include "api/precision_study.h"

namespace catsim {

// Prints each failed precision on stderr (one line each) and the table on stdout when at least one ran.
// Exit code: 1 when any run failed internally, else 2 when none ran, else 0.
int report_precision_study(const std::vector<PrecisionRun>& runs, bool json, const std::string& command_line = "");

}  // namespace catsim
