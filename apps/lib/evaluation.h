#pragma once
// One evaluated design: the cycle-level run and the energy, area and carbon computed from its event
// counts, with the run's energy split over the batch (each sequence or image is one inference).

#include "carbon/report.h"
#include "sim/run/simulation.h"

namespace catsim {

struct Evaluation {
  SimulationResult sim;
  Report energy;
};

// Call validate_energy_inputs(arch) first to reject bad tech or carbon input before simulating.
Evaluation evaluate_design(const ArchSpec& arch, const ModelSpec& model);

}  // namespace catsim
