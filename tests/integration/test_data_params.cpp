// The shipped data files' keys (carbon/data_params.h) walked one by one: in a copy of configs/, one value of a
// declared key is set beyond its range at full width (2^31, 2^32, 2^63 - 1, 2^64 and -1 for an integer; NaN,
// ±inf, 1e308 and -1 for a number; an unknown word for a choice), and `catsim info edge_npu`, which loads every
// table, must exit 2 with one line naming the file and the key: never a crash, a narrowed value or exit 0.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "carbon/data_params.h"
#include "tests/support/expect_one_line.h"
#include "tests/support/paths.h"
#include "tests/support/run_catsim.h"

namespace catsim {
namespace {

namespace fs = std::filesystem;

bool any_key(const std::string& part) { return !part.empty() && std::isupper(static_cast<unsigned char>(part[0])); }

std::vector<std::string> parts_of(std::string_view path) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at <= path.size();) {
    const std::size_t dot = std::min(path.find('.', at), path.size());
    out.emplace_back(path.substr(at, dot - at));
    at = dot + 1;
  }
  return out;
}

// The data file a declaration's first part names, relative to the data directory (TABLE: logic.yaml, whose
// entries include a derived one).
std::string file_of(const std::string& first) {
  return first == "regions" ? "regions.yaml" : "tech/" + std::string(first == "TABLE" ? "logic" : first) + ".yaml";
}

// The key of `map` a part standing for any key becomes: for an entry, one that has the field the rest of the
// path reads (a derived entry for `sum`, a base one otherwise); else the map's first key.
std::string example_key(const YAML::Node& map, const std::vector<std::string>& rest) {
  const bool derived = std::find(rest.begin(), rest.end(), "sum") != rest.end();
  for (const auto& kv : map) {
    const YAML::Node v = kv.second;
    if (!v.IsMap() || rest.empty() || rest.front() == "sum" || !(v["sum"].IsDefined() || v["value"].IsDefined()))
      return kv.first.Scalar();
    if (derived == v["sum"].IsDefined()) return kv.first.Scalar();
  }
  return map.begin()->first.Scalar();
}

// Sets the value at declaration `path` in `root` (its first part dropped) to `value`; returns the key that holds
// it (a list's own key for a list). A sequence on the way is entered at its first item.
std::string set_at(YAML::Node root, const std::vector<std::string>& parts, const std::string& value) {
  YAML::Node node = root;
  std::string key;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    while (node.IsSequence()) node.reset(node[0]);
    key = any_key(parts[i]) ? example_key(node, {parts.begin() + static_cast<std::ptrdiff_t>(i) + 1, parts.end()})
                            : parts[i];
    if (i + 1 == parts.size()) {
      YAML::Node leaf = node[key];
      if (!leaf.IsSequence()) {
        node[key] = value;
        return key;
      }
      while (leaf.IsSequence()) leaf.reset(leaf[0]);  // a list: its first number
      leaf = value;
      return key;
    }
    node.reset(node[key]);
  }
  return key;
}

std::vector<std::string> out_of_range(const Param& p) {
  if (p.type == ParamType::integer) return {"2147483648", "4294967296", "9223372036854775807", "18446744073709551616", "-1"};
  if (p.type == ParamType::choice) return {"bogus"};
  return {"nan", "inf", "-inf", "1e308", "-1"};
}

TEST(DataParams, EveryDeclaredKeyIsCheckedAtFullWidth) {
  const fs::path data = test::scratch_dir() / "data_params";
  fs::remove_all(data);
  fs::create_directories(data);
  for (const char* part : {"tech", "arch", "regions.yaml"})
    fs::copy(test::source_path(std::string("configs/") + part), data / part, fs::copy_options::recursive);
  ASSERT_EQ(::setenv("CATSIM_DATA_DIR", data.c_str(), 1), 0);
  int checked = 0;
  for (const Param& p : data_params()) {
    if (p.type == ParamType::text) continue;  // any string is a citation or a name looked up elsewhere
    const std::vector<std::string> parts = parts_of(p.path);
    const fs::path file = data / file_of(parts.front());
    const std::string original = test::slurp(file.string());
    for (const std::string& value : out_of_range(p)) {
      YAML::Node root = YAML::Load(original);
      const std::string key = set_at(root, parts, value);
      YAML::Emitter emitted;
      emitted << root;
      std::ofstream(file) << emitted.c_str() << "\n";
      SCOPED_TRACE(std::string(p.path) + " (" + key + ") = " + value);
      const test::RunResult r = test::run_catsim("info " + test::shipped_arch("edge_npu"));
      test::expect_one_line(r, 2, key);
      EXPECT_NE(r.err.find(file.filename().string()), std::string::npos) << r.err;
      ++checked;
    }
    std::ofstream(file) << original;
  }
  ::unsetenv("CATSIM_DATA_DIR");
  EXPECT_GT(checked, 100);
}

// `catsim info ARCH` shows the arch's bank-level DRAM part and what its commands cost. tpuv1's DDR3-1600 x8,
// 8 devices at 1.5 V and 1.25 ns: an ACT with its PRE is (IDD0·tRC − IDD3N·tRAS − IDD2N·(tRC − tRAS)) =
// 0.07 x 38 − 0.045 x 28 − 0.045 x 10 = 0.95 ampere-clocks, x 1.5 V x 1.25 ns x 8 = 14.25 nJ; a read burst
// (0.14 − 0.045) x 4 clocks = 0.38, 5.7 nJ.
TEST(DramParts, InfoShowsTheArchsPartAndItsCommandEnergies) {
  const test::RunResult r = test::run_catsim("info " + test::shipped_arch("tpuv1") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto part = nlohmann::json::parse(r.out)["dram_part"];
  EXPECT_EQ(part["part"], "ddr3-1600");
  EXPECT_NEAR(part["energy"]["activate_precharge_j"].get<double>(), 14.25e-9, 1e-15);
  EXPECT_NEAR(part["energy"]["read_burst_j"].get<double>(), 5.7e-9, 1e-15);
  EXPECT_DOUBLE_EQ(part["timing_ns"]["rcd"].get<double>(), 12.5);
}

}  // namespace
}  // namespace catsim
