#include "api/simulate.h"

#include "api/child_failure.h"
#include "api/generation.h"
#include "api/output_checks.h"
#include "api/result_document.h"
#include "api/trace_options.h"
#include "arch/config/error.h"
#include "carbon/report.h"
#include "sim/run/fork_runner.h"
#include "sim/trace/chrome_trace.h"

namespace catsim {

SimulateResult simulate(const SimulateRequest& request) {
  const Design d = load_design(request.design);
  validate_energy_inputs(d.arch);
  const TraceFilter filter = parse_trace_filter(request.trace_ops, request.trace_window);
  if (request.trace.empty() && !(request.trace_ops.empty() && request.trace_window.empty()))
    throw ConfigError({"command line", 0, 0}, request.trace_ops.empty() ? "--trace-window" : "--trace-ops", "needs --trace");
  SimulateResult out;
  out.warnings = d.model.warnings;
  if (d.model.workload.phase == Phase::generate) {
    if (request.fidelity != Fidelity::cycle)
      throw ConfigError({"command line", 0, 0}, "--fidelity",
                        "analytic estimates cover one prefill or decode pass; phase: generate needs --fidelity cycle");
    if (!request.trace.empty())
      throw ConfigError({"command line", 0, 0}, "--trace",
                        "describes one run; phase: generate runs a prefill and many decode steps (simulate phase: "
                        "prefill or decode to use it)");
    out.document = generation_document(d.arch, d.model, run_generation(d.arch, d.model, request.exact_steps, request.command_line),
                                       request.command_line);
    require_finite_output(out.document, "simulation result");
    return out;
  }
  if (!request.trace.empty() && request.fidelity != Fidelity::cycle)
    throw ConfigError({"command line", 0, 0}, "--trace",
                      "needs the cycle-level run (an analytic estimate has no command schedule); drop --fidelity");
  const Evaluation ev = evaluate_design(d.arch, d.model, request.fidelity);
  out.document = result_document(ev, d.arch, d.model, request.command_line);
  require_finite_output(out.document, "simulation result");
  if (!request.trace.empty()) write_chrome_trace(ev.sim, request.trace, filter);
  return out;
}

SimulateResult simulate_in_child(const SimulateRequest& request, double timeout_s) {
  const ChildOutcome c = run_in_child(
      [&] {
        const SimulateResult r = simulate(request);
        return nlohmann::json{{"document", r.document}, {"warnings", r.warnings}}.dump();
      },
      timeout_s);
  if (!c.ok) throw ChildFailure(c.error.empty() ? "the simulation failed" : c.error, c.config_error());
  nlohmann::json j = nlohmann::json::parse(c.payload);
  return {std::move(j["document"]), j["warnings"].get<std::vector<std::string>>()};
}

}  // namespace catsim
