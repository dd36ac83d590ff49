#pragma once
// Closed-form estimators over what the compiler emits: the same operator graph, tiling, mapping and core
// split as the cycle-level run (counted by sim/analytic/op_tally.h), timed by a formula instead of the engine. They return a SimulationResult, so the
// energy, area and carbon models and every report apply unchanged.

#include <optional>
#include <string_view>

#include "sim/run/simulation.h"

namespace catsim {

// roofline:   per op, max(array cycles with fill and drain on the busiest core, DRAM bytes / DRAM bandwidth,
//             global-buffer bytes / its bandwidth) + vector cycles on the busiest core; ops one after another.
// sequential: CATransformers' conventions: per op array + vector + memory cycles, nothing overlapped, the
//             second layer of each stack estimated once and counted for every middle layer; energy is a
//             flat analytic.energy_per_mac_pj per MAC (see api/evaluation.h).
enum class Estimator { roofline, sequential };
std::string_view name_of(Estimator e);
std::optional<Estimator> parse_estimator(std::string_view name);

// Estimates a compiled program of `graph` (no layer sampling): for tests and for estimate_model().
SimulationResult estimate_program(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph,
                                  const Program& program, Estimator e);

// The whole path: lower, sample the layers (sim/analytic/layer_sample.h), tally the sample in closed form
// (tally_graph, no commands), estimate it and expand it back to every op of the full graph. `timing` gets
// lower (with the sample), compile (the tally) and assemble; simulate = 0.
SimulationResult estimate_model(const ArchSpec& arch, const ModelSpec& model, Estimator e,
                                StageSeconds* timing = nullptr);

}  // namespace catsim
