#include "apps/lib/parse_error.h"

#include <cstdio>

#include "apps/lib/flag_check.h"
#include "api/output_checks.h"

namespace catsim {

int report_parse_error(const CLI::App& app, const CLI::ParseError& e, const std::string& usage_hint) {
  if (e.get_exit_code() == 0) return app.exit(e);
  std::string what = e.what();
  for (char& c : what)
    if (c == '\n' || c == '\r') c = ' ';
  std::fprintf(stderr, "catsim: command line: %s (usage: %s)\n", what.c_str(), usage_hint.c_str());
  return kExitBadInput;
}

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, const std::string& usage_hint) {
  check_known_options(app, argc, argv, usage_hint);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(app, e, usage_hint);
  }
  return std::nullopt;
}

}  // namespace catsim
