// Searches with the fake evaluator: the Pareto file is exactly the non-dominated feasible set, constraints
// hold in every mode, a proxy accuracy is labelled in every output, and worker completion order does not
// change the archive.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

#include "search/pareto.h"
#include "tests/unit/search/search_fixture.h"

namespace catsim::test {
namespace {

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, ',')) cells.push_back(c);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  ADD_FAILURE() << "no column " << name;
  return 0;
}

const char* kHwSpace =
    "parameters:\n"
    "  arch.cores: [1, 2, 4]\n"
    "  arch.systolic.cols: [32, 64, 128, 256]\n"
    "  model.pruning.layers: {from: 6, to: 12, step: 2}\n"
    "accuracy: {source: proxy}\n"
    "workers: 2\n";

SearchSpace space_with(const std::string& name, const std::string& extra, const std::string& metric = "") {
  return load_space(write_space(name, std::string(kHwSpace) + extra), metric);
}

// Brute force, independent of search/pareto.cpp: feasible rows no other feasible row beats in every
// objective (and strictly in one). Objectives read from all.csv.
std::set<std::string> brute_force_front(const std::vector<std::vector<std::string>>& all,
                                        const std::vector<std::string>& objectives) {
  const auto& h = all[0];
  std::vector<std::vector<double>> obj;
  std::vector<std::string> ids;
  for (std::size_t r = 1; r < all.size(); ++r) {
    if (all[r][column(h, "feasible")] != "true") continue;
    std::vector<double> o;
    for (const auto& name : objectives) {
      const bool neg = name[0] == '-';
      const double v = std::stod(all[r][column(h, neg ? name.substr(1) : name)]);
      o.push_back(neg ? -v : v);
    }
    obj.push_back(o);
    ids.push_back(all[r][0] + "," + all[r][1] + "," + all[r][2]);
  }
  std::set<std::string> front;
  for (std::size_t a = 0; a < obj.size(); ++a) {
    bool dominated = false;
    for (std::size_t b = 0; b < obj.size(); ++b) {
      bool all_le = true, one_lt = false;
      for (std::size_t k = 0; k < obj[a].size(); ++k) {
        all_le = all_le && obj[b][k] <= obj[a][k];
        one_lt = one_lt || obj[b][k] < obj[a][k];
      }
      dominated = dominated || (b != a && all_le && one_lt);
    }
    if (!dominated) front.insert(ids[a]);
  }
  return front;
}

TEST(SearchRun, ParetoCsvIsExactlyTheNonDominatedFeasibleSetInEveryMode) {
  for (const char* metric : {"carbon", "latency", "energy", "all"}) {
    SCOPED_TRACE(metric);
    const SearchSpace s = space_with("pareto_space.yaml", "constraints: {max_latency_s: 0.005}\n", metric);
    const std::string dir = fresh_dir(std::string("pareto_") + metric);
    run_search(s, {dir, false, false}, fake_evaluator());
    const auto all = read_csv(dir + "/all.csv");
    const auto pareto = read_csv(dir + "/pareto.csv");
    ASSERT_EQ(all.size(), 1u + 3 * 4 * 4);  // header + 3 cores x 4 cols x 4 layer counts
    std::set<std::string> got;
    for (std::size_t r = 1; r < pareto.size(); ++r) got.insert(pareto[r][0] + "," + pareto[r][1] + "," + pareto[r][2]);
    EXPECT_EQ(got.size(), pareto.size() - 1);
    EXPECT_EQ(got, brute_force_front(all, objective_names(s.metric)));
    EXPECT_FALSE(got.empty());
  }
}

TEST(SearchRun, ConstraintsApplyInEveryMode) {
  // latency 1/(cores*cols) <= 0.005 needs cores*cols >= 200; area cores*cols/16 <= 20 needs <= 320;
  // power cols/32 <= 4 needs cols <= 128; TOPS cores*cols/64 <= 4 needs <= 256. Feasible: cores*cols in
  // [200, 256], cols <= 128: (2,128) and (4,64) only, whatever the mode.
  for (const char* metric : {"carbon", "latency", "energy", "all"}) {
    SCOPED_TRACE(metric);
    const SearchSpace s = space_with(
        "constraint_space.yaml",
        "constraints: {max_latency_s: 0.005, max_area_mm2: 20, max_power_w: 4, max_tops: 4, min_accuracy: 0.5}\n",
        metric);
    const std::string dir = fresh_dir(std::string("constraints_") + metric);
    run_search(s, {dir, false, false}, fake_evaluator());
    const auto all = read_csv(dir + "/all.csv");
    const auto& h = all[0];
    for (std::size_t r = 1; r < all.size(); ++r) {
      const int cores = std::stoi(all[r][0]), cols = std::stoi(all[r][1]);
      const double acc = std::stod(all[r][column(h, "accuracy")]);
      const bool hw_ok = (cores == 2 && cols == 128) || (cores == 4 && cols == 64);
      EXPECT_EQ(all[r][column(h, "feasible")] == "true", hw_ok && acc >= 0.5) << all[r][column(h, "reason")];
      if (acc < 0.5) {  // the accuracy floor rejects the shape before any hardware run
        EXPECT_EQ(all[r][column(h, "status")], "rejected");
        EXPECT_EQ(all[r][column(h, "stage")], "accuracy");
      }
    }
  }
}

TEST(SearchRun, AllHwConstraintsAndFront) {
  const SearchSpace s = load_space(write_space("allhw_space.yaml",
                                               "metric: all-hw\nparameters:\n  arch.cores: [1, 2, 4]\n"
                                               "  arch.systolic.cols: [32, 64, 128, 256]\n"
                                               "constraints: {max_area_mm2: 32}\nworkers: 2\n"));
  const std::string dir = fresh_dir("allhw");
  run_search(s, {dir, false, false}, fake_evaluator());
  const auto all = read_csv(dir + "/all.csv");
  const auto pareto = read_csv(dir + "/pareto.csv");
  // Feasible: cores x cols <= 512. Latency falls and carbon rises with cores x cols, so every feasible
  // product is on the front once: products 32, 64, 128, 256, 512 -> the points with those products, i.e.
  // every feasible point whose product no other point matches with a lower carbon (carbon = product + 24).
  std::set<int> products;
  for (std::size_t r = 1; r < pareto.size(); ++r) products.insert(std::stoi(pareto[r][0]) * std::stoi(pareto[r][1]));
  EXPECT_EQ(products, (std::set<int>{32, 64, 128, 256, 512}));
  for (std::size_t r = 1; r < pareto.size(); ++r) EXPECT_EQ(pareto[r][column(pareto[0], "accuracy_source")], "none");
}

TEST(SearchRun, ProxyAccuracyIsLabelledInEveryOutput) {
  const SearchSpace s = space_with("proxy_space.yaml", "", "carbon");
  const std::string dir = fresh_dir("proxy");
  run_search(s, {dir, false, false}, fake_evaluator());
  for (const char* f : {"/all.csv", "/pareto.csv"}) {
    const auto rows = read_csv(dir + f);
    ASSERT_GT(rows.size(), 1u);
    for (std::size_t r = 1; r < rows.size(); ++r) EXPECT_EQ(rows[r][column(rows[0], "accuracy_source")], "proxy") << f;
  }
  const auto doc = nlohmann::json::parse(slurp(dir + "/pareto.json"));
  EXPECT_TRUE(doc["accuracy_is_proxy"].get<bool>());
  EXPECT_EQ(doc["accuracy_source"], "proxy");
  for (const auto& p : doc["front"]) EXPECT_EQ(p["accuracy_source"], "proxy");
}

TEST(SearchRun, ProxyIsTheParameterFractionKept) {
  const SearchSpace s = space_with("proxy_value_space.yaml", "", "carbon");
  // Shape 0 keeps 6 of 12 layers; the proxy is params(pruned) / params(base) with embeddings and pooler
  // kept whole: (109,482,240 - 6 x 7,087,872) / 109,482,240 (one BERT-base layer: 7,087,872 parameters).
  EXPECT_NEAR(proxy_accuracy(s, 0), (109482240.0 - 6 * 7087872.0) / 109482240.0, 1e-12);
}

void expect_same_archive_whatever_order(unsigned seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  const std::string extra = "optimizer: {name: nsga2, population: 8}\nbudget: {points: 30}\nseed: " +
                            std::to_string(seed) + "\n";
  const SearchSpace one = space_with("order1.yaml", extra, "all");
  SearchSpace four = one;
  four.workers = 4;
  const std::string a = fresh_dir("order_a"), b = fresh_dir("order_b");
  run_search(one, {a, false, false}, fake_evaluator(0));
  run_search(four, {b, false, false}, fake_evaluator(15));  // out-of-order completion
  EXPECT_EQ(archive_rows(a, one), archive_rows(b, four));
  EXPECT_EQ(archive_rows(a, one).size(), 30u);
}

TEST(SearchRun, SameArchiveWhateverOrderWorkersFinishIn) {
  expect_same_archive_whatever_order(1);  // fixed regression seed
  std::random_device rd;
  expect_same_archive_whatever_order(rd() % 100000);  // a fresh seed each run, printed on failure
}

// The threads of the process that forked this worker, read in the worker while the parent waits for it.
std::string parent_threads() {
  std::ifstream in("/proc/" + std::to_string(::getppid()) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Threads:", 0) == 0) return line.substr(line.find_first_not_of(" \t", 8));
  return "unknown";
}

// NSGA-II runs on pagmo, whose TBB would start worker threads; the search keeps it to one thread, so every
// evaluation worker is forked from a single-threaded process (a fork of a multi-threaded one may inherit a
// lock another thread held: workers hung so under ASan).
TEST(SearchRun, WorkersAreForkedFromASingleThreadedProcess) {
  const SearchSpace s = space_with("threads.yaml", "optimizer: {name: nsga2, population: 8}\nbudget: {points: 24}\n", "all");
  const std::string dir = fresh_dir("threads"), log = dir + ".threads";
  std::remove(log.c_str());
  run_search(s, {dir, false, false}, [log](const SearchSpace&, const std::vector<Override>& ov) {
    std::ofstream(log, std::ios::app) << parent_threads() + "\n";  // one short append per worker
    return fake_evaluate(ov, 0);
  });
  std::ifstream in(log);
  int workers = 0;
  for (std::string line; std::getline(in, line); ++workers) EXPECT_EQ(line, "1");
  EXPECT_EQ(workers, 24);  // every point of the budget in its own worker
}

TEST(SearchRun, DuplicatesAreEvaluatedOnce) {
  // Random sampling without repetition over 48 points with a budget of 48: every point exactly once.
  const SearchSpace s = space_with("dedup.yaml", "optimizer: {name: random}\nbudget: {points: 1000}\n", "all");
  const std::string dir = fresh_dir("dedup");
  const auto sum = run_search(s, {dir, false, false}, fake_evaluator());
  EXPECT_EQ(sum.points, 48);
}

TEST(SearchRun, ExistingOutWithoutResumeIsRefused) {
  const SearchSpace s = space_with("refuse.yaml", "", "all");
  const std::string dir = fresh_dir("refuse");
  run_search(s, {dir, false, false}, fake_evaluator());
  EXPECT_THROW(run_search(s, {dir, false, false}, fake_evaluator()), ConfigError);
  const SearchSpace other = space_with("refuse2.yaml", "seed: 7\n", "all");
  EXPECT_THROW(run_search(other, {dir, true, false}, fake_evaluator()), ConfigError);  // different space
}

}  // namespace
}  // namespace catsim::test
