#include "apps/lib/flag_check.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "api/flag_params.h"
#include "arch/config/config_node.h"
#include "arch/config/error.h"

namespace catsim {

void check_known_options(const CLI::App& app, int argc, char** argv, const std::string& usage_hint) {
  std::vector<std::string> known;
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& l : o->get_lnames()) known.push_back("--" + l);
    for (const auto& s : o->get_snames()) known.push_back("-" + s);
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-' || arg == "--") continue;
    if (arg[1] != '-' && (std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.')) continue;  // -1.5
    const std::string name = arg.substr(0, arg.find('='));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    const std::string guess = closest_match(name, known);
    throw ConfigError({"command line", 0, 0}, name,
                      "unknown option" + (guess.empty() ? std::string() : " (did you mean " + guess + "?)") +
                          " (usage: " + usage_hint + ")");
  }
}

CLI::Validator declared(const Param& p) {
  return CLI::Validator([&p](std::string& value) { return flag_value_problem(p, value).value_or(""); }, "");
}

}  // namespace catsim
