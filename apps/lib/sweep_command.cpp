#include "apps/lib/sweep_command.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "api/flag_params.h"
#include "api/sweep.h"
#include "apps/lib/flag_check.h"
#include "apps/lib/parse_error.h"
#include "arch/config/error.h"
#include "arch/io/atomic_file.h"

namespace catsim {

int sweep_main(int argc, char** argv) {
  CLI::App app{"catsim sweep: simulate the cross product of varied arch/model keys", "catsim sweep"};
  SweepRequest request;
  std::string out;
  bool json = false, quiet = false;
  app.add_option("arch", request.design.arch, "arch.yaml")->required();
  app.add_option("model", request.design.model, "model.yaml or a HuggingFace config.json")->required();
  app.add_option("--vary", request.vary, "KEY=a,b,c or KEY=lo:hi[:step] (step N adds, xN multiplies); repeatable")
      ->required();
  app.add_option("--set", request.design.set,
                 "fix a key for every point: arch.KEY=VALUE or model.KEY=VALUE (repeatable)");
  app.add_flag("--json", json, "JSON instead of CSV");
  app.add_flag("--quiet", quiet, "no progress lines on stderr");
  bool yes = false;
  app.add_flag("--yes", yes, "run more than 1,000 points");
  app.add_option("--out", out, "write the table to this file (whole or not at all) instead of stdout");
  app.add_option("--workers", request.workers, std::string(flag_param("sweep.--workers").what))
      ->check(declared(flag_param("sweep.--workers")));
  app.add_option("--timeout", request.timeout_s, std::string(flag_param("sweep.--timeout").what))
      ->check(declared(flag_param("sweep.--timeout")));
  std::string fidelity = "cycle";
  app.add_option("--fidelity", fidelity,
                 "cycle (default): every point on the cycle-level engine; analytic (= roofline) or sequential: "
                 "the closed-form estimates (about a hundredth of the time)");
  const char* usage =
      "catsim sweep ARCH MODEL --vary KEY=VALUES [--vary ...] [--set KEY=VALUE ...] [--fidelity F] [--json] [--out FILE] "
      "[--workers N]";
  if (const std::optional<int> code = parse_command_line(app, argc, argv, usage)) return *code;
  const std::optional<Fidelity> parsed = parse_fidelity(fidelity);
  if (!parsed)
    throw ConfigError({"command line", 0, 0}, "--fidelity",
                      "unknown value '" + fidelity + "' (expected cycle, analytic, roofline or sequential)");
  request.fidelity = *parsed;
  const Sweep sweep(request);
  constexpr std::uint64_t kConfirmAbove = 1000;
  if (sweep.points() > kConfirmAbove && !yes)
    throw ConfigError({"command line", 0, 0}, "--vary",
                      std::to_string(sweep.points()) + " points: add --yes to run more than " +
                          std::to_string(kConfirmAbove) + " (or vary fewer values)");
  if (!out.empty()) check_writable(out);  // before the points run, not after
  if (!quiet) std::fprintf(stderr, "sweep: %llu points\n", static_cast<unsigned long long>(sweep.points()));
  const std::vector<PointResult> results = sweep.run(!quiet);
  const std::string text = json ? sweep.rows(results).dump(2) + "\n" : sweep.csv(results);
  if (out.empty()) std::cout << text;
  else write_file_atomically(out, text);
  // Failed points (a crash, a timeout) are rows of the table; the exit code says some failed, and one line why.
  std::size_t failed = 0;
  const PointResult* first = nullptr;
  for (const auto& r : results)
    if (r.status == "failed" && ++failed == 1) first = &r;
  if (!first) return 0;
  std::fprintf(stderr, "catsim: sweep: %zu of %zu points failed (the first: %s); their rows say why\n", failed,
               results.size(), first->reason.c_str());
  return 1;
}

}  // namespace catsim
