// The documentation's own examples run as written: every `build/release/catsim …` line of the code blocks
// of README.md and docs/*.md (paths under configs/ and tests/data/ taken from the source tree), every inline `catsim configs/…` command and every quoted --set example, against
// the built binary; every table row has its header's columns; every relative link and anchor resolves.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

// README.md and every page of docs/, as paths relative to the source tree.
std::vector<std::string> documents() {
  std::vector<std::string> out{"README.md"};
  for (const auto& e : std::filesystem::directory_iterator(test::source_path("docs")))
    if (e.path().extension() == ".md") out.push_back("docs/" + e.path().filename().string());
  std::sort(out.begin() + 1, out.end());
  return out;
}

// Commands of one document, without the program name, comments or output redirections.
std::vector<std::string> document_commands(const std::string& doc) {
  std::istringstream in(test::slurp(test::source_path(doc)));
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
    c = std::regex_replace(c, std::regex("(^|\\s)tests/data/"), "$1" + test::source_path("tests/data/"));
  }
  return out;
}

// Quoted `--set '…'` examples of one document, exactly as printed.
std::vector<std::string> document_quoted_sets(const std::string& doc) {
  const std::string text = test::slurp(test::source_path(doc));
  static const std::regex quoted("`(--set '[^`]*')`");
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), quoted), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

TEST(ReadmeExamples, EveryCommandRuns) {
  std::size_t ran = 0;
  for (const auto& doc : documents()) {
    for (const auto& c : document_commands(doc)) {
      test::RunResult r = test::run_catsim(c);
      EXPECT_EQ(r.exit_code, 0) << doc << ": catsim " << c << "\n" << r.err;
      std::printf("ran (%s): catsim %s\n", doc.c_str(), c.c_str());
      ++ran;
    }
  }
  EXPECT_GE(ran, 5u);
}

TEST(ReadmeExamples, QuotedSetExamplesParse) {
  std::size_t parsed = 0;
  const std::string base = test::arch_config("edge_npu.yaml") + " " + test::model_config("gemm-bert-proj.yaml");
  for (const auto& doc : documents()) {
    for (const auto& s : document_quoted_sets(doc)) {
      test::RunResult r = test::run_catsim(base + " " + s + " --dump-config");
      EXPECT_EQ(r.exit_code, 0) << doc << ": " << s << "\n" << r.err;
      ++parsed;
    }
  }
  EXPECT_GE(parsed, 1u);
}

// Unescaped '|' of a Markdown table row (GitHub splits cells on them inside code spans too).
std::size_t cell_separators(const std::string& row) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < row.size(); ++i) n += row[i] == '|' && (i == 0 || row[i - 1] != '\\');
  return n;
}

TEST(ReadmeExamples, EveryTableRowHasItsHeadersColumns) {
  // An escaped '|' turned into '\ |' once split six rows of the arch.yaml table, hiding their values.
  for (const auto& doc : documents()) {
    std::istringstream in(test::slurp(test::source_path(doc)));
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
      EXPECT_EQ(cell_separators(line), header) << doc << ":" << number << ": " << line;
    }
  }
}

// GitHub's anchor of a heading: lower case, spaces to '-', punctuation (and any non-ASCII symbol such as
// '–' or '×') dropped. The headings use no non-ASCII letters.
std::string anchor_of(const std::string& heading) {
  std::string out;
  for (unsigned char c : heading) {
    if (std::isalnum(c) || c == '-' || c == '_') out += static_cast<char>(std::tolower(c));
    else if (c == ' ') out += '-';
  }
  return out;
}

// The anchors of a document's headings (lines starting with '#', outside code blocks).
std::set<std::string> anchors_of(const std::string& doc) {
  std::istringstream in(test::slurp(test::source_path(doc)));
  std::set<std::string> out;
  std::string line;
  bool code = false;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) code = !code;
    if (code || line.empty() || line[0] != '#') continue;
    const std::size_t text = line.find_first_not_of('#');
    if (text != std::string::npos && line[text] == ' ') out.insert(anchor_of(line.substr(text + 1)));
  }
  return out;
}

TEST(ReadmeExamples, EveryRelativeLinkAndAnchorResolves) {
  static const std::regex link("\\]\\(([^)\\s]+)\\)");
  for (const auto& doc : documents()) {
    const std::filesystem::path dir = std::filesystem::path(doc).parent_path();
    std::istringstream in(test::slurp(test::source_path(doc)));
    std::string line;
    bool code = false;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.rfind("```", 0) == 0) code = !code;
      if (code) continue;
      for (std::sregex_iterator it(line.begin(), line.end(), link), end; it != end; ++it) {
        const std::string target = (*it)[1];
        if (std::regex_search(target, std::regex("^[a-z]+:"))) continue;  // http:, https:, mailto:
        const std::size_t hash = target.find('#');
        const std::string path = target.substr(0, hash);
        const std::string file = path.empty() ? doc : (dir / path).lexically_normal().string();
        const std::string where = doc + ":" + std::to_string(number) + ": " + target;
        if (!std::filesystem::exists(test::source_path(file))) {
          ADD_FAILURE() << where << ": no such file";
          continue;
        }
        if (hash != std::string::npos && file.size() > 3 && file.substr(file.size() - 3) == ".md") {
          EXPECT_EQ(anchors_of(file).count(target.substr(hash + 1)), 1u) << where << ": no such heading";
        }
      }
    }
  }
}

TEST(ReadmeExamples, ReadmeStaysShort) {
  // The README is the front page (issue 21: about 250 lines); reference and measurements live in docs/.
  const std::string text = test::slurp(test::source_path("README.md"));
  EXPECT_LE(std::count(text.begin(), text.end(), '\n'), 250);
}

}  // namespace
}  // namespace catsim
