#pragma once
// `catsim scalesim CONFIG.cfg TOPOLOGY.csv --outdir DIR`: SCALE-Sim v2 inputs in, SCALE-Sim's report files
// out (computed by catsim's cycle-level run with SCALE-Sim's timing and ideal memory), to diff the tools.

namespace catsim {

int scalesim_main(int argc, char** argv);

}  // namespace catsim
