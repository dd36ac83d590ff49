#include "api/generation.h"

#include <fmt/format.h>

#include "api/evaluation.h"
#include "api/resolved_config.h"
#include "api/result_document.h"
#include "api/run_metadata.h"
#include "sim/run/fork_runner.h"

namespace catsim {
namespace {

constexpr double kGenerationTimeoutS = 3600;

ModelSpec prefill_of(const ModelSpec& m) {
  ModelSpec p = m;
  p.workload.phase = Phase::prefill;
  p.workload.seq_len = m.workload.prompt_len;
  p.workload.prompt_len = p.workload.gen_len = 0;
  return p;
}

ModelSpec decode_step_of(const ModelSpec& m, std::int64_t kv_len) {
  ModelSpec d = m;
  d.workload.phase = Phase::decode;
  d.workload.seq_len = 1;
  d.workload.kv_len = kv_len;
  d.workload.prompt_len = d.workload.gen_len = 0;
  return d;
}

// Runs `work` in a child; a failure becomes ChildFailure with the child's message.
nlohmann::json in_child(const std::function<std::string()>& work) {
  ChildOutcome c = run_in_child(work, kGenerationTimeoutS);
  if (!c.ok) throw ChildFailure(c.error.empty() ? "a generation step failed" : c.error, c.config_error());
  return nlohmann::json::parse(c.payload);
}

}  // namespace

GenerationResult run_generation(const ArchSpec& arch, const ModelSpec& model, bool exact_steps,
                                const std::string& command_line) {
  GenerationResult g;
  g.exact_steps = exact_steps;
  const ModelSpec prefill = prefill_of(model);
  g.prefill = in_child([&] {
    return result_document(evaluate_design(arch, prefill), arch, prefill, command_line).dump();
  });
  auto step = [&](std::int64_t kv) {
    nlohmann::json j = in_child([&] {
      const Evaluation ev = evaluate_design(arch, decode_step_of(model, kv));
      return nlohmann::json{{"latency_s", ev.sim.latency_s}, {"energy_j", ev.energy.energy_j}}.dump();
    });
    return StepCost{j["latency_s"].get<double>(), j["energy_j"].get<double>()};
  };
  const std::int64_t P = model.workload.prompt_len, G = model.workload.gen_len;
  g.samples = sample_decode_steps(P + 1, P + G, step, exact_steps, kDecodeSampleTolerance);

  double decode_s = 0, decode_j = 0;
  for (std::int64_t kv = P + 1; kv <= P + G; ++kv) {
    const StepCost c = interpolate_step(g.samples, kv);
    decode_s += c.latency_s;
    decode_j += c.energy_j;
  }
  const double tokens = static_cast<double>(model.workload.batch * G);
  g.ttft_s = g.prefill["latency_s"].get<double>();
  g.tpot_s = decode_s / static_cast<double>(G);
  g.tpot_first_s = g.samples.front().cost.latency_s;
  g.tpot_last_s = g.samples.back().cost.latency_s;
  g.total_s = g.ttft_s + decode_s;
  g.tokens_per_s = g.total_s > 0 ? tokens / g.total_s : 0;
  g.energy_j = g.prefill["energy_j"].get<double>() + decode_j;
  g.energy_per_token_j = g.energy_j / tokens;
  // Operational carbon scales with energy (grid intensity x PUE, from the prefill's report); the embodied
  // share is per inference, and one inference here is one sequence's whole generation.
  const nlohmann::json& carbon = g.prefill["carbon"];
  const double per_inference_j = carbon["assumptions"]["energy_per_inference_j"].get<double>();
  const double operational_g_per_j = per_inference_j > 0 ? carbon["operational_g"].get<double>() / per_inference_j : 0;
  const double embodied_share_g = carbon["per_inference_g"].get<double>() - carbon["operational_g"].get<double>();
  g.carbon_per_token_g =
      (operational_g_per_j * g.energy_j + embodied_share_g * static_cast<double>(model.workload.batch)) / tokens;
  return g;
}

nlohmann::json generation_json(const GenerationResult& g) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : g.samples)
    steps.push_back({{"kv_len", s.kv_len}, {"latency_s", s.cost.latency_s}, {"energy_j", s.cost.energy_j}});
  return {{"ttft_s", g.ttft_s},
          {"tpot_s", g.tpot_s},
          {"tpot_first_s", g.tpot_first_s},
          {"tpot_last_s", g.tpot_last_s},
          {"total_s", g.total_s},
          {"tokens_per_s", g.tokens_per_s},
          {"energy_j", g.energy_j},
          {"energy_per_token_j", g.energy_per_token_j},
          {"carbon_per_token_g", g.carbon_per_token_g},
          {"exact_steps", g.exact_steps},
          {"decode_steps_simulated", steps}};
}

std::string generation_text(const GenerationResult& g, const ModelSpec& m) {
  const auto& w = m.workload;
  std::string s;
  s += fmt::format("generation  prompt {} tokens, {} generated, batch {}; {} of {} decode steps simulated{}\n",
                   w.prompt_len, w.gen_len, w.batch, g.samples.size(), w.gen_len,
                   g.exact_steps ? "" : " (the others interpolated)");
  s += fmt::format("TTFT        {:.6g} s (prefill of the prompt)\n", g.ttft_s);
  s += fmt::format("TPOT        {:.6g} s mean, {:.6g} s first step, {:.6g} s last step\n", g.tpot_s, g.tpot_first_s,
                   g.tpot_last_s);
  s += fmt::format("total       {:.6g} s, {:.6g} tokens/s\n", g.total_s, g.tokens_per_s);
  s += fmt::format("per token   {:.6g} J, {:.4g} g CO2e (operational + embodied share)\n", g.energy_per_token_j,
                   g.carbon_per_token_g);
  return s;
}

nlohmann::json generation_document(const ArchSpec& arch, const ModelSpec& model, GenerationResult g,
                                   const std::string& command_line) {
  nlohmann::json j = {{"catsim_version", catsim_version()},
                      {"command_line", command_line},
                      {"resolved", {{"arch", resolved_arch_json(arch)}, {"model", resolved_model_json(model)}}},
                      {"generation", generation_json(g)}};
  g.prefill.erase("catsim_version");
  g.prefill.erase("command_line");
  g.prefill.erase("resolved");
  j["prefill"] = std::move(g.prefill);
  return j;
}

}  // namespace catsim
