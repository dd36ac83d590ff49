// The arch.yaml reference in docs/ is the code's own: the table between the markers of docs/arch-yaml.md is
// exactly what `catsim help arch` prints from arch/arch_params.h, and every declared key is one the parsers
// really read (a bad value for it is refused with exit 2, never reported as an unknown key).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "arch/arch_params.h"
#include "tests/support/expect_one_line.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

// The text between the line holding `begin` and the line starting with `end`.
std::string between_markers(const std::string& text, const std::string& begin, const std::string& end) {
  const std::size_t b = text.find(begin);
  if (b == std::string::npos) return "(no marker '" + begin + "')";
  const std::size_t from = text.find('\n', b) + 1;
  const std::size_t to = text.find(end, from);
  if (to == std::string::npos) return "(no marker '" + end + "')";
  return text.substr(from, to - from);
}

TEST(GeneratedDocs, ArchReferenceIsWhatHelpArchPrints) {
  const test::RunResult help = test::run_catsim("help arch");
  ASSERT_EQ(help.exit_code, 0) << help.err;
  const std::string doc = test::slurp(test::source_path("docs/arch-yaml.md"));
  EXPECT_EQ(between_markers(doc, "<!-- generated: catsim help arch", "<!-- end of generated -->"), help.out)
      << "docs/arch-yaml.md differs from `catsim help arch`: run scripts/gen_docs";
  // One row per declaration, after the header and its rule.
  EXPECT_EQ(static_cast<std::size_t>(std::count(help.out.begin(), help.out.end(), '\n')), arch_params().size() + 2);
}

// A concrete key for a declaration whose last part stands for any key of its map.
std::string concrete(std::string path) {
  for (const auto& [placeholder, key] : {std::pair<std::string, std::string>{"PRECISION", "int8"},
                                         {"OP", "add"},
                                         {"ENTRY", "mac_int8_pj"}})
    if (path.size() > placeholder.size() && path.ends_with("." + placeholder))
      return path.substr(0, path.size() - placeholder.size()) + key;
  return path;
}

TEST(GeneratedDocs, EveryDeclaredArchKeyIsReadAndChecked) {
  const std::string arch = test::arch_config("datacenter.yaml");
  int checked = 0;
  for (const Param& p : arch_params()) {
    if (p.type == ParamType::text) continue;  // any string is a valid label or name to look up
    const std::string key = concrete(std::string(p.path));
    SCOPED_TRACE("--set arch." + key + "=bogus");
    const test::RunResult r = test::run_catsim("info " + arch + " --set arch." + key + "=bogus");
    test::expect_one_line(r, 2, key.substr(key.rfind('.') + 1));
    EXPECT_EQ(r.err.find("unknown key"), std::string::npos) << r.err;
    ++checked;
  }
  EXPECT_GT(checked, 40);
}

}  // namespace
}  // namespace catsim
