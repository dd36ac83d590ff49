// phase: generate end to end: TTFT is the prompt's prefill, TPOT the decode steps, and the sampled,
// interpolated decode total agrees with simulating every step (--exact-steps) within 1 %.

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "tests/support/paths.h"
#include "tests/support/expect_one_line.h"
#include "tests/support/run_catsim.h"
#include "tests/support/run_json.h"

namespace catsim {
namespace {

const char* kTinyLlama = R"(name: tiny-llama
family: llama
layers: 2
hidden: 256
heads: 4
kv_heads: 2
ffn: 688
vocab: 1000
max_positions: 2048
precision: int8
workload: {phase: generate, prompt_len: 100, gen_len: 300, batch: 2}
)";

std::string tiny() { return test::write_file("tiny_llama.yaml", kTinyLlama); }
std::string edge() { return test::arch_config("edge_npu.yaml"); }


double linear(const nlohmann::json& samples, std::int64_t kv, const char* key) {
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const std::int64_t k = samples[i]["kv_len"];
    if (k == kv) return samples[i][key];
    if (k > kv) {
      const std::int64_t k0 = samples[i - 1]["kv_len"];
      const double y0 = samples[i - 1][key], y1 = samples[i][key];
      return y0 + (y1 - y0) * static_cast<double>(kv - k0) / static_cast<double>(k - k0);
    }
  }
  return samples.back()[key];
}

TEST(Generation, SampledStepsStayWithinOnePercentOfEveryStep) {
  auto exact = test::run_json(edge() + " " + tiny() + " --exact-steps")["generation"];
  auto sampled = test::run_json(edge() + " " + tiny())["generation"];
  const auto& all = exact["decode_steps_simulated"];
  const auto& few = sampled["decode_steps_simulated"];
  ASSERT_EQ(all.size(), 300u);  // kv_len 101 .. 400
  // Sampling must save most of the work; the step cost is not smooth in kv_len (the mapper's tile choices
  // change with the KV length), so it refines where it must: 78 of 300 with the fold-chain engine.
  EXPECT_LT(few.size(), 100u);
  std::printf("sampled %zu of 300 steps; total %.9g s vs %.9g s exact (%.4f %%)\n", few.size(),
              sampled["total_s"].get<double>(), exact["total_s"].get<double>(),
              100 * (sampled["total_s"].get<double>() / exact["total_s"].get<double>() - 1));
  EXPECT_NEAR(sampled["total_s"].get<double>(), exact["total_s"].get<double>(), 0.01 * exact["total_s"].get<double>());
  EXPECT_NEAR(sampled["energy_j"].get<double>(), exact["energy_j"].get<double>(), 0.01 * exact["energy_j"].get<double>());
  // Every step, not only the total: the interpolated cost is within 1 % of the simulated one.
  for (const auto& step : all) {
    const std::int64_t kv = step["kv_len"];
    EXPECT_NEAR(linear(few, kv, "latency_s"), step["latency_s"].get<double>(), 0.01 * step["latency_s"].get<double>())
        << "kv_len " << kv;
    EXPECT_NEAR(linear(few, kv, "energy_j"), step["energy_j"].get<double>(), 0.01 * step["energy_j"].get<double>())
        << "kv_len " << kv;
  }
}

TEST(Generation, TtftIsThePrefillAndTotalIsTtftPlusGenLenTpot) {
  auto g = test::run_json(edge() + " " + tiny());
  const auto& gen = g["generation"];
  auto prefill = test::run_json(edge() + " " + tiny() +
                          " --set model.workload='{phase: prefill, seq_len: 100, batch: 2}'");
  EXPECT_EQ(gen["ttft_s"], prefill["latency_s"]);
  EXPECT_EQ(g["prefill"]["cycles"], prefill["cycles"]);
  auto first = test::run_json(edge() + " " + tiny() + " --set model.workload='{phase: decode, kv_len: 101, batch: 2}'");
  auto last = test::run_json(edge() + " " + tiny() + " --set model.workload='{phase: decode, kv_len: 400, batch: 2}'");
  EXPECT_EQ(gen["tpot_first_s"], first["latency_s"]);
  EXPECT_EQ(gen["tpot_last_s"], last["latency_s"]);
  const double ttft = gen["ttft_s"], tpot = gen["tpot_s"], total = gen["total_s"];
  EXPECT_NEAR(total, ttft + 300 * tpot, 1e-12 * total);
  EXPECT_NEAR(gen["tokens_per_s"].get<double>(), 2 * 300 / total, 1e-9 * 2 * 300 / total);  // batch 2
  // Energy per token: (prefill + all decode steps) / (batch x gen_len).
  EXPECT_NEAR(gen["energy_per_token_j"].get<double>(), gen["energy_j"].get<double>() / 600, 1e-15);
  EXPECT_GT(gen["carbon_per_token_g"].get<double>(), 0);
  EXPECT_EQ(g["resolved"]["model"]["workload"]["prompt_len"], 100);
  EXPECT_EQ(g["resolved"]["model"]["workload"]["gen_len"], 300);
}

TEST(Generation, TextReportNamesTtftAndTpot) {
  test::RunResult r = test::run_catsim(edge() + " " + tiny());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("TTFT "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("TPOT "), std::string::npos);
  EXPECT_NE(r.out.find("workload    generate, batch 2, prompt_len 100, gen_len 300 (llama)"), std::string::npos);
}

struct BadGen {
  const char* name;
  std::string args;
  const char* message;
};
class GenerationErrors : public ::testing::TestWithParam<BadGen> {};
void PrintTo(const BadGen& b, std::ostream* os) { *os << b.name; }

TEST_P(GenerationErrors, ExitCode2AndOneLine) {
  test::expect_one_line(test::run_catsim(GetParam().args), 2, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GenerationErrors,
    ::testing::Values(
        BadGen{"encoder", edge() + " " + test::model_config("bert-base.yaml") +
                              " --set model.workload='{phase: generate, prompt_len: 8, gen_len: 8}'",
               "workload.phase: generate needs a causal decoder"},
        BadGen{"too_long", edge() + " " + tiny() + " --set model.workload.gen_len=2000",
               "workload.gen_len: prompt_len 100 + gen_len 2000 exceed max_positions 2048"},
        BadGen{"seq_len", edge() + " " + tiny() + " --set model.workload.seq_len=10",
               "workload.seq_len: phase: generate takes prompt_len and gen_len (remove seq_len)"},
        BadGen{"missing_gen_len", edge() + " " + tiny() + " --set 'model.workload={phase: generate, prompt_len: 4}'",
               "workload.gen_len: missing required key"},
        BadGen{"csv", edge() + " " + tiny() + " --csv", "--csv: describes one run; phase: generate"},
        BadGen{"kv_cache_overflow", edge() + " " + tiny() + " --set arch.dram.capacity_gib=0.001",
               "dram.capacity_gib"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace catsim
