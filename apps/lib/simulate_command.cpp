#include "apps/lib/simulate_command.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "apps/lib/evaluation.h"
#include "apps/lib/output_checks.h"
#include "apps/lib/parse_error.h"
#include "apps/lib/precision_study.h"
#include "apps/lib/report_text.h"
#include "arch/arch_parser.h"
#include "arch/config/error.h"
#include "arch/io/atomic_file.h"
#include "sim/pe/detail_run.h"
#include "sim/run/result_json.h"
#include "sim/trace/chrome_trace.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

// True when `path` can be created or overwritten (its directory exists and is writable).
bool writable_path(const std::string& path) {
  if (path.empty()) return false;
  namespace fs = std::filesystem;
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (fs::exists(p)) return ::access(p.c_str(), W_OK) == 0 && !fs::is_directory(p);
  return fs::is_directory(dir) && ::access(dir.c_str(), W_OK) == 0;
}

// run_pe_detail writing its VCD to a temporary file that replaces `vcd_path` only when the run succeeded.
std::vector<PeDetailRow> run_pe_detail_to(const ArchSpec& arch, const ModelSpec& model, const std::string& vcd_path) {
  if (vcd_path.empty()) return run_pe_detail(arch, model, "");
  const std::string tmp = temporary_path_beside(vcd_path);
  try {
    auto rows = run_pe_detail(arch, model, tmp);
    commit_temporary(tmp, vcd_path);
    return rows;
  } catch (const WriteError&) {  // reported for the temporary file: name the file the user asked for
    std::remove(tmp.c_str());
    throw WriteError(vcd_path + ": cannot write the VCD file");
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
}

}  // namespace

int simulate_main(int argc, char** argv) {
  CLI::App app{"catsim: simulate a transformer (or GEMMs) on an accelerator, cycle by cycle", "catsim"};
  std::string arch_file, model_file, trace_file, detail, vcd_file;
  bool json = false, csv = false;
  std::vector<std::string> sets, precisions;
  app.add_option("arch", arch_file, "arch.yaml")->required();
  app.add_option("model", model_file, "model.yaml or a HuggingFace config.json")->required();
  app.add_flag("--json", json, "print the result as JSON");
  app.add_flag("--csv", csv, "print the per-op table as CSV");
  app.add_option("--trace", trace_file, "write a Chrome/Perfetto trace-event JSON file");
  app.add_option("--detail", detail, "pe: also run every matmul on the PE-level reference model (small shapes)")
      ->check(CLI::IsMember({"pe"}));
  app.add_option("--vcd", vcd_file, "with --detail pe: dump the first matmul's PE activity as a VCD file");
  app.add_option("--precisions", precisions, "compare precisions side by side, e.g. fp32,fp16,int8,int4")
      ->delimiter(',');
  app.add_option("--set", sets, "override a key: arch.KEY.PATH=VALUE or model.KEY.PATH=VALUE (repeatable)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(app, e, "catsim ARCH.yaml MODEL [options]; see catsim ARCH.yaml MODEL --help");
  }
  for (const char* opt : {"--trace", "--vcd"})
    if (app.count(opt) > 0 && (opt[2] == 't' ? trace_file : vcd_file).empty())
      throw ConfigError({"command line", 0, 0}, opt, "empty path (expected a file name)");
  if (json && csv) throw ConfigError({"command line", 0, 0}, "--json", "choose one of --json and --csv");
  if (!vcd_file.empty() && detail != "pe") throw ConfigError({"command line", 0, 0}, "--vcd", "needs --detail pe");
  auto overrides = parse_overrides(sets);
  if (!precisions.empty()) {
    return report_precision_study(run_precision_study(arch_file, model_file, overrides, precisions), json);
  }
  ArchSpec arch = load_arch(arch_file, overrides);
  ModelSpec model = load_model(model_file, overrides);
  // Everything that can reject the input runs before SystemC does.
  validate_energy_inputs(arch);
  if (!trace_file.empty() && !writable_path(trace_file))
    throw ConfigError({"command line", 0, 0}, "--trace", "cannot write " + trace_file);
  if (!vcd_file.empty() && !writable_path(vcd_file))
    throw ConfigError({"command line", 0, 0}, "--vcd", "cannot write " + vcd_file);
  std::vector<PeDetailRow> pe_rows;
  if (detail == "pe") pe_rows = run_pe_detail_to(arch, model, vcd_file);
  const Evaluation ev = evaluate_design(arch, model);
  const SimulationResult& r = ev.sim;
  const Report& energy = ev.energy;
  nlohmann::json j = to_json(r);
  j.update(to_json(energy));
  if (detail == "pe") j["pe_detail"] = pe_detail_json(pe_rows);
  require_finite_output(j, "simulation result");
  if (!trace_file.empty()) write_chrome_trace(r, trace_file);
  if (json) {
    std::cout << j.dump(2) << "\n";
  } else if (csv) {
    std::cout << ops_csv(r);
  } else {
    std::cout << simulation_text(r) << energy_text(energy);
    if (detail == "pe") std::cout << pe_detail_text(pe_rows);
  }
  return 0;
}

}  // namespace catsim
