#pragma once
// `catsim ARCH MODEL`: simulates a model on an accelerator and reports it (terminal, JSON, CSV, trace).

namespace catsim {

int simulate_main(int argc, char** argv);

}  // namespace catsim
