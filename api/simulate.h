#pragma once
// `catsim ARCH MODEL --json` as a call: one design simulated (or estimated) and its whole result document,
// for the Python module and any program linking catsim (the command line calls the same parts: load_design,
// evaluate_design, result_document, generation_document).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/design.h"
#include "api/evaluation.h"

namespace catsim {

struct SimulateRequest {
  DesignInputs design;
  Fidelity fidelity = Fidelity::cycle;
  bool exact_steps = false;   // phase: generate: simulate every decode step instead of sampled kv_len points
  std::string command_line;   // recorded as the document's command_line
  // A Chrome/Perfetto trace of every command written to this file (whole or not at all; "" for none), only
  // the ops matching `trace_ops` (a regular expression) and the commands overlapping `trace_window`
  // (START:END cycles), as --trace, --trace-ops and --trace-window.
  std::string trace, trace_ops, trace_window;
};

struct SimulateResult {
  nlohmann::json document;            // exactly what `catsim ARCH MODEL --json` prints
  std::vector<std::string> warnings;  // the model's (the command line prints them on stderr)
};

// The result document of one prefill or decode pass (result_document), or for phase: generate the generation
// document; every number checked finite. ConfigError for bad input before anything is simulated. SystemC
// elaborates once per process and this runs it here: call it once per process, or use simulate_in_child.
SimulateResult simulate(const SimulateRequest& request);

// simulate() in a forked child, so any number of calls per process: the
// same result, or ChildFailure with the child's one-line message (bad input, or a failure inside catsim: a
// crash, a signal, `timeout_s` exceeded).
SimulateResult simulate_in_child(const SimulateRequest& request, double timeout_s = 3600);

}  // namespace catsim
