// The checked-in fuzz corpus (tests/fuzz/corpus: issue 10's reproductions and every fuzzer finding) through
// the real command line: each input ends in exit 0 with finite output, or exit 2 with one line and no stdout.

#include <gtest/gtest.h>

#include <filesystem>
#include <cctype>
#include <fstream>
#include <sstream>

#include "tests/fuzz/set_target_base.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

namespace fs = std::filesystem;

// Quotes one shell word.
std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// The lower-cased alphabetic words of `text` ("-nan" and "inf," yield "nan" and "inf").
std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out(1);
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) out.back().push_back(static_cast<char>(std::tolower(c)));
    else if (!out.back().empty()) out.emplace_back();
  }
  return out;
}

void expect_contract(const test::RunResult& r, const fs::path& input) {
  SCOPED_TRACE(input.string());
  if (r.exit_code == 0) {
    EXPECT_FALSE(r.out.empty());
    for (const std::string& word : words(r.out)) EXPECT_TRUE(word != "inf" && word != "nan" && word != "null") << r.out;
    return;
  }
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

std::vector<fs::path> corpus(const std::string& target) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(test::source_path("tests/fuzz/corpus/" + target)))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FuzzCorpus, ArchInputsThroughInfo) {
  for (const auto& f : corpus("arch")) expect_contract(test::run_catsim("info " + shell_quote(f.string())), f);
}

TEST(FuzzCorpus, ModelInputsThroughInfo) {
  for (const auto& f : corpus("model")) expect_contract(test::run_catsim("info " + shell_quote(f.string())), f);
}

TEST(FuzzCorpus, HfInputsThroughInfo) {
  for (const auto& f : corpus("hf")) expect_contract(test::run_catsim("info " + shell_quote(f.string())), f);
}

TEST(FuzzCorpus, SetInputsThroughASimulation) {
  const std::string arch = test::write_file("corpus_arch.yaml", fuzz::kSetArch);
  const std::string model = test::write_file("corpus_model.yaml", fuzz::kSetModel);
  for (const auto& f : corpus("set")) {
    std::ifstream in(f);
    std::string args;
    for (std::string line; std::getline(in, line);) args += " --set " + shell_quote(line);
    expect_contract(test::run_catsim(arch + " " + model + args), f);
  }
}

}  // namespace
}  // namespace catsim
