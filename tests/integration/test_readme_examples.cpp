// The README's own command examples run as written: every `build/release/catsim …` line of its code
// blocks, every inline `catsim configs/…` command, and the quoted --set example, against the built binary.

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

// Commands of the README, without the program name, comments or output redirections.
std::vector<std::string> readme_commands() {
  std::istringstream in(test::slurp(test::source_path("README.md")));
  std::vector<std::string> out;
  std::string line, pending;
  const std::string prog = "build/release/catsim ";
  while (std::getline(in, line)) {
    if (!pending.empty() || line.rfind(prog, 0) == 0) {
      pending += pending.empty() ? line.substr(prog.size()) : " " + line;
      if (!pending.empty() && pending.back() == '\\') {
        pending.pop_back();
        continue;
      }
      out.push_back(pending);
      pending.clear();
      continue;
    }
    static const std::regex inline_cmd("`catsim (configs/[^`]*)`");
    for (std::sregex_iterator it(line.begin(), line.end(), inline_cmd), end; it != end; ++it) out.push_back((*it)[1]);
  }
  for (auto& c : out) {
    c = std::regex_replace(c, std::regex("\\s*#.*$"), "");
    c = std::regex_replace(c, std::regex("\\s*>\\s*\\S+\\s*$"), "");
    c = std::regex_replace(c, std::regex("--trace \\S+"), "--trace " + (test::scratch_dir() / "readme_trace.json").string());
    c = std::regex_replace(c, std::regex("(^|\\s)configs/"), "$1" + test::source_path("configs/"));
  }
  return out;
}

// Quoted `--set '…'` examples of the README, exactly as printed.
std::vector<std::string> readme_quoted_sets() {
  const std::string text = test::slurp(test::source_path("README.md"));
  static const std::regex quoted("`(--set '[^`]*')`");
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), quoted), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

TEST(ReadmeExamples, EveryCommandRuns) {
  const auto cmds = readme_commands();
  ASSERT_GE(cmds.size(), 5u);
  for (const auto& c : cmds) {
    test::RunResult r = test::run_catsim(c);
    EXPECT_EQ(r.exit_code, 0) << "catsim " << c << "\n" << r.err;
    std::printf("ran: catsim %s\n", c.c_str());
  }
}

TEST(ReadmeExamples, QuotedSetExamplesParse) {
  const auto sets = readme_quoted_sets();
  ASSERT_GE(sets.size(), 1u);
  const std::string base = test::arch_config("edge_npu.yaml") + " " + test::model_config("gemm-bert-proj.yaml");
  for (const auto& s : sets) {
    test::RunResult r = test::run_catsim(base + " " + s + " --dump-config");
    EXPECT_EQ(r.exit_code, 0) << s << "\n" << r.err;
  }
}

// Unescaped '|' of a Markdown table row (GitHub splits cells on them inside code spans too).
std::size_t cell_separators(const std::string& row) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < row.size(); ++i) n += row[i] == '|' && (i == 0 || row[i - 1] != '\\');
  return n;
}

TEST(ReadmeExamples, EveryTableRowHasItsHeadersColumns) {
  // An escaped '|' turned into '\ |' once split six rows of the arch.yaml table, hiding their values.
  std::istringstream in(test::slurp(test::source_path("README.md")));
  std::string line;
  std::size_t header = 0;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("|", 0) != 0) {
      header = 0;
      continue;
    }
    if (header == 0) header = cell_separators(line);
    EXPECT_EQ(cell_separators(line), header) << "README.md:" << number << ": " << line;
  }
}

}  // namespace
}  // namespace catsim
