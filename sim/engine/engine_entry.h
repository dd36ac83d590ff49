#pragma once
// The engine module's one entry point, with C linkage so that a program that does not link the SystemC
// model can find it by name after loading libcatsim_engine.so (see simulate() in engine_loader.cpp).

#include "sim/engine/accelerator.h"

// Elaborates the SystemC model for `program` on `arch`, runs it to completion and fills `result`.
// Once per process: throws std::logic_error on a second call.
extern "C" void catsim_engine_run(const catsim::ArchSpec& arch, const catsim::Program& program,
                                  catsim::EngineResult& result);
