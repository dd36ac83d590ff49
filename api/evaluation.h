#pragma once
// One evaluated design: the cycle-level run (or a closed-form estimate of it) and the energy, area and
// carbon computed from its event counts, with the run's energy split over the batch (each sequence or
// image is one inference).

#include <optional>
#include <string_view>

#include "carbon/report.h"
#include "sim/analytic/estimator.h"
#include "sim/run/fidelity.h"
#include "sim/run/simulation.h"

namespace catsim {

struct Evaluation {
  SimulationResult sim;
  Report energy;
};


// Call validate_energy_inputs(arch) first to reject bad tech or carbon input before simulating.
// `sequential` prices energy as CATransformers does: analytic.energy_per_mac_pj per MAC, nothing else
// (no SRAM, DRAM, vector or static energy); area and embodied carbon are the usual models'.
Evaluation evaluate_design(const ArchSpec& arch, const ModelSpec& model, Fidelity fidelity = Fidelity::cycle);

// Dynamic energy per op of a result: its event counts x per-event energy, or MACs x the flat energy per MAC
// for a `sequential` estimate.
std::vector<EnergyReport> op_energies(const ArchSpec& arch, const SimulationResult& r);

}  // namespace catsim
