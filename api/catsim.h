#pragma once
// catsim's library interface, one include for a program that links catsim_api (the Python module does):
// requests name their inputs as a user gives them (paths or shipped names, KEY=VALUE overrides), results are
// the documents the command line prints with --json, and nothing here prints. Bad input throws ConfigError
// (or, from a forked child, ChildFailure with the same one-line message).
//
//   simulate(request), simulate_in_child(request)   `catsim ARCH MODEL --json`          api/simulate.h
//   load_design(inputs)                              the arch and model as simulated     api/design.h
//   load_info_subject(file, set), info_document(s)   `catsim info FILE --json`           api/info.h
//   validate_pair(arch, model, ...), validation_json `catsim validate ARCH MODEL --json` api/validate_suite.h
//   run_suite(dir, ...)                              `catsim validate --suite DIR`       api/validate_suite.h
//   Sweep(request).run(), .rows(), .csv()            `catsim sweep`                      api/sweep.h
//   run_precision_study(...)                         `--precisions`                      api/precision_study.h
//   evaluate_search_point(space, overrides)          one point of `catsim search`        api/search_evaluator.h
//   catsim_version()                                 `catsim --version`                  api/run_metadata.h
//
// SystemC elaborates once per process: simulate() and validate_pair() run it in the calling process (once
// per process); simulate_in_child, Sweep and run_suite fork a child per run.

#include "api/child_failure.h"
#include "api/design.h"
#include "api/info.h"
#include "api/precision_study.h"
#include "api/run_metadata.h"
#include "api/search_evaluator.h"
#include "api/simulate.h"
#include "api/sweep.h"
#include "api/validate_suite.h"
