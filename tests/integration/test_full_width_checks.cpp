// Issue 22's reproductions: a value is range-checked at its full width before it is narrowed (every alias
// of a key included), and a pattern or list that would make work grow without bound is refused first.
// Each case exits 2 with one line; none crashes or runs with a truncated value.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "api/flag_params.h"
#include "tests/support/arch_text.h"
#include "tests/support/expect_one_line.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

std::string tiny_run() {
  return test::write_file("width_arch.yaml", test::kTinyInt8Arch) + " " +
         test::write_file("width_gemm.yaml", "kind: gemm\nm: 64\nn: 64\nk: 64\n");
}

// 2^31, 2^32 (truncated to 0 in 32 bits: a division by zero before), 2^63 - 1 and -1.
TEST(FullWidthChecks, NarrowedArchIntegersAreRangeCheckedFirst) {
  for (const char* key : {"dram.burst_bytes", "dma.outstanding"})
    for (const char* value : {"2147483648", "4294967296", "9223372036854775807", "-1"}) {
      SCOPED_TRACE(std::string(key) + "=" + value);
      test::expect_one_line(test::run_catsim(tiny_run() + " --set arch." + key + "=" + value), 2, key);
    }
  // The largest values allowed still run.
  const auto r = test::run_catsim(tiny_run() + " --set arch.dram.burst_bytes=65536 --set arch.dma.outstanding=65536");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(FullWidthChecks, HuggingFaceAliasesAreBoundedLikeTheirCanonicalKeys) {
  // GPT-2's n_layer is num_hidden_layers (at most 1,024); n_embd is hidden_size (at most 65,536).
  const std::string gpt2 = R"({"model_type": "gpt2", "n_embd": 64, "n_head": 2, "n_layer": 65537, "n_positions": 128,
                               "vocab_size": 1000})";
  test::expect_one_line(test::run_catsim("info " + test::write_file("gpt2_layers.json", gpt2)), 2,
                        "n_layer: out of range, got 65537 (expected 1..1024)");
  const std::string wide = R"({"model_type": "gpt2", "n_embd": 1000000, "n_head": 2, "n_layer": 2, "vocab_size": 1000})";
  test::expect_one_line(test::run_catsim("info " + test::write_file("gpt2_wide.json", wide)), 2,
                        "n_embd: out of range, got 1000000 (expected 1..65536)");
  const std::string opt = R"({"model_type": "opt", "hidden_size": 64, "num_attention_heads": 2, "num_hidden_layers": 2,
                              "ffn_dim": 2000000, "vocab_size": 1000})";
  test::expect_one_line(test::run_catsim("info " + test::write_file("opt_ffn.json", opt)), 2,
                        "ffn_dim: out of range, got 2000000 (expected 1..1048576)");
}

TEST(FullWidthChecks, TraceRegexIsBoundedBeforeItIsCompiled) {
  // std::regex compiles recursively: 100,000 characters or 30,000 nested groups overflowed the stack.
  const std::string longest(100'000, 'a');
  test::expect_one_line(test::run_catsim(tiny_run() + " --trace - --trace-ops '" + longest + "'"), 2,
                        "--trace-ops: the regular expression has 100000 characters (at most 1000)");
  const std::string nested = std::string(400, '(') + "a" + std::string(400, ')');
  test::expect_one_line(test::run_catsim(tiny_run() + " --trace - --trace-ops '" + nested + "'"), 2,
                        "--trace-ops: the regular expression nests groups more than 32 deep");
  // Escaped parentheses are literals, not groups.
  std::string escaped;
  for (int i = 0; i < 40; ++i) escaped += "\\(";
  const auto r = test::run_catsim(tiny_run() + " --trace - --trace-ops '" + escaped + "' --trace-window 0:1");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(FullWidthChecks, TraceWindowBeyondInt64IsRefused) {
  test::expect_one_line(test::run_catsim(tiny_run() + " --trace - --trace-window 0:9999999999999999999"), 2,
                        "is beyond the largest cycle count");
}

TEST(FullWidthChecks, PrecisionsListedTwiceAreRefusedBeforeAnyRun) {
  test::expect_one_line(test::run_catsim(tiny_run() + " --precisions int8,int8"), 2,
                        "--precisions: 'int8' is listed twice");
}

TEST(FullWidthChecks, VcdDashIsNotAFileNamedDash) {
  // --trace - streams to stdout; --vcd - wrote a file named '-' in the working directory.
  test::expect_one_line(test::run_catsim(tiny_run() + " --detail pe --vcd -"), 2,
                        "--vcd: '-' is not a file name (a VCD goes to a file, not to stdout)");
}

// Runs `shell` with sh; returns catsim's exit code, which the command line writes to `status`.
int shell_status(const std::string& shell, const std::filesystem::path& status) {
  std::filesystem::remove(status);
  EXPECT_EQ(std::system(("sh -c '" + shell + "'").c_str()), 0) << shell;
  return std::stoi(test::slurp(status.string()));
}

TEST(FullWidthChecks, ClosedPipeExitsFourWithOneLine) {
  const auto dir = test::scratch_dir();
  const std::string status = (dir / "status.txt").string(), err = (dir / "pipe_err.txt").string();
  // BERT-base's JSON is far larger than a pipe's buffer; head takes one byte and closes it (SIGPIPE before).
  const std::string run = std::string(CATSIM_BINARY) + " " + test::source_path("configs/arch/edge_npu.yaml") + " " +
                          test::source_path("configs/models/bert-base.yaml") + " --json";
  EXPECT_EQ(shell_status("(" + run + " 2>" + err + "; echo $? >" + status + ") | head -c 1 >/dev/null", status), 4);
  const std::string piped = test::slurp(err);
  EXPECT_EQ(std::count(piped.begin(), piped.end(), '\n'), 1) << piped;
  EXPECT_NE(piped.find("standard output: cannot write"), std::string::npos) << piped;
  // The file-size limit: HostileWrites.TraceBeyondTheFileSizeLimitLeavesNoFile.
}

TEST(FullWidthChecks, AgainstFileMatchingNoOpIsAnError) {
  // Before: every row unknown, MAPE printed as 0 % and any --tolerance passed.
  const std::string csv = test::write_file("against_none.csv", "op,cycles\nnot_an_op,100\n");
  test::expect_one_line(test::run_catsim("validate " + tiny_run() + " --against " + csv + " --tolerance 0.1"), 2,
                        "op: no row names an op of this model (the first is 'not_an_op'");
}

TEST(FullWidthChecks, UnknownHuggingFaceKeysAreNamedFiveAtATime) {
  // 20,000 unknown keys took 16 s (each one located by scanning the text) and printed 20,000 lines.
  std::string json = R"({"model_type": "gpt2", "n_embd": 64, "n_head": 2, "n_layer": 2, "vocab_size": 1000)";
  for (int i = 0; i < 20'000; ++i) json += ", \"unknown_" + std::to_string(i) + "\": 1";
  json += "}";
  const auto r = test::run_catsim("info " + test::write_file("many_unknown.json", json));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 6) << r.err;  // 5 named, then the count
  EXPECT_NE(r.err.find("unknown_0: warning: unknown key, ignored"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("warning: 19995 more unknown keys, ignored"), std::string::npos) << r.err;
}

TEST(FullWidthChecks, TopologyRowsAreBounded) {
  std::string csv = "Layer, M, N, K,\n";
  for (int i = 0; i <= 10'000; ++i) csv += "l" + std::to_string(i) + ", 8, 8, 8,\n";
  test::expect_one_line(
      test::run_catsim("info " + test::write_file("many_rows.csv", csv)), 2, "more than 10000 layers (10001 rows)");
}

// Every declared numeric flag (api/flag_params.h) given 2^31, 2^32, 2^63 - 1, 2^64, -1 (NaN, +-inf, 1e308 for a
// number too): each value outside the declaration's range is exit 2 and one line naming the flag, before any
// work starts.
TEST(FullWidthChecks, EveryDeclaredFlagIsCheckedAtFullWidth) {
  const std::string space = test::source_path("configs/spaces/catransformers-bert-hw.yaml");
  const std::string out = (test::scratch_dir() / "flags_out").string();
  int checked = 0;
  for (const Param& p : flag_params()) {
    const std::string command(p.path.substr(0, p.path.find('.'))), flag(p.path.substr(p.path.find('.') + 1));
    const std::string prefix = command == "search"     ? "search " + space + " --out " + out
                               : command == "sweep"    ? "sweep " + tiny_run() + " --vary arch.cores=1,2"
                               : command == "validate" ? "validate " + tiny_run()
                                                       : tiny_run() + " --trace - --trace-window 0:";
    std::vector<std::pair<std::string, double>> values = {{"2147483648", 0x1p31}, {"4294967296", 0x1p32},
                                                          {"9223372036854775807", 0x1p63},
                                                          {"18446744073709551616", 0x1p64}, {"-1", -1}};
    if (p.type == ParamType::number)
      for (const auto& v : {std::pair<std::string, double>{"nan", NAN}, {"inf", INFINITY}, {"1e308", 1e308}})
        values.push_back(v);
    for (const auto& [text, v] : values) {
      if (v >= p.lo && v <= p.hi) continue;  // a valid value of this flag
      SCOPED_TRACE(flag + " " + text);
      const std::string args = command == "simulate" ? prefix + text : prefix + " " + flag + " " + text;
      test::expect_one_line(test::run_catsim(args), 2, flag + ": ");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 5 + 5 + 8 + 8 + 3);  // two workers flags; timeout and tolerance; the window (2^31, 2^32 valid)
}

}  // namespace
}  // namespace catsim
