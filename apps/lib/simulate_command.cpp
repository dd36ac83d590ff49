#include "apps/lib/simulate_command.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "api/design.h"
#include "api/evaluation.h"
#include "api/generation.h"
#include "api/op_report.h"
#include "api/output_checks.h"
#include "api/report_text.h"
#include "api/resolved_config.h"
#include "api/result_document.h"
#include "api/run_metadata.h"
#include "apps/lib/flag_check.h"
#include "apps/lib/parse_error.h"
#include "apps/lib/precision_report.h"
#include "apps/lib/report_folder.h"
#include "api/trace_options.h"
#include "arch/config/error.h"
#include "arch/config/overrides.h"
#include "arch/io/atomic_file.h"
#include "sim/engine/heap_warmup.h"
#include "sim/pe/detail_run.h"
#include "sim/run/result_json.h"
#include "sim/trace/chrome_trace.h"

namespace catsim {
namespace {

// True when `path` can be created or overwritten (its directory exists and is writable).
bool writable_path(const std::string& path) {
  if (path.empty()) return false;
  namespace fs = std::filesystem;
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::error_code ec;  // a name the file system refuses (too long, ...) is not writable
  if (fs::exists(p, ec)) return ::access(p.c_str(), W_OK) == 0 && !fs::is_directory(p, ec);
  return fs::is_directory(dir, ec) && ::access(dir.c_str(), W_OK) == 0;
}

// --precisions runs one child per precision and prints a comparison; options that shape one run's
// output are refused rather than silently dropped.
void check_precision_study_options(bool csv, const std::string& trace, const std::string& detail, bool dump,
                                   const std::string& outdir) {
  const char* clash = csv                ? "--csv"
                      : !trace.empty()   ? "--trace"
                      : !detail.empty()  ? "--detail"
                      : dump             ? "--dump-config"
                      : !outdir.empty()  ? "--outdir"
                                         : nullptr;
  if (clash)
    throw ConfigError({"command line", 0, 0}, "--precisions",
                      std::string("cannot be combined with ") + clash +
                          " (run once per precision with --set model.precision=P instead)");
}

// phase: generate runs a prefill and many decode steps, each in a child: per-run outputs do not apply.
void check_generation_options(bool csv, const std::string& trace, const std::string& detail,
                              const std::string& outdir) {
  const char* clash = csv               ? "--csv"
                      : !trace.empty()  ? "--trace"
                      : !detail.empty() ? "--detail"
                      : !outdir.empty() ? "--outdir"
                                        : nullptr;
  if (clash)
    throw ConfigError({"command line", 0, 0}, clash,
                      "describes one run; phase: generate runs a prefill and many decode steps (simulate "
                      "phase: prefill or decode to use it)");
}

// The generation report: JSON or text. Returns the exit code.
int report_generation(const ArchSpec& arch, const ModelSpec& model, bool json, bool exact_steps,
                      const std::string& cmd) {
  GenerationResult g;
  try {
    g = run_generation(arch, model, exact_steps, cmd);
  } catch (const ChildFailure& e) {
    std::fprintf(stderr, "%s%s\n", e.config ? "" : "catsim: internal error: ", e.what());
    return e.config ? 2 : 1;
  }
  if (json) {
    std::cout << generation_document(arch, model, std::move(g), cmd).dump(2) << "\n";
  } else {
    std::cout << "catsim      " << model.name << " on " << arch.name << "\n"
              << run_header_text(arch, model) << generation_text(g, model);
  }
  return 0;
}

// An analytic estimate has no command schedule to trace or replay, and one fidelity per run.
void check_analytic_options(const std::vector<std::string>& precisions, const std::string& trace,
                            const std::string& detail) {
  const char* clash = !precisions.empty() ? "--precisions"
                      : !trace.empty()    ? "--trace"
                      : !detail.empty()   ? "--detail"
                                          : nullptr;
  if (clash)
    throw ConfigError({"command line", 0, 0}, clash,
                      "needs the cycle-level run (an analytic estimate has no command schedule); drop --fidelity");
}

// run_pe_detail writing its VCD to a temporary file that replaces `vcd_path` only when the run succeeded.
std::vector<PeDetailRow> run_pe_detail_to(const ArchSpec& arch, const ModelSpec& model, const std::string& vcd_path,
                                          const PeProgress& progress) {
  if (vcd_path.empty()) return run_pe_detail(arch, model, "", progress);
  const std::string tmp = temporary_path_beside(vcd_path);
  try {
    auto rows = run_pe_detail(arch, model, tmp, progress);
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
  std::string arch_file, model_file, trace_file, detail, vcd_file, outdir, trace_ops, trace_window;
  std::string fidelity_name = "cycle";
  bool json = false, csv = false, dump_config = false, exact_steps = false;
  std::vector<std::string> sets, precisions;
  app.add_option("arch", arch_file, "arch.yaml (or a file written by --dump-config, alone)")->required();
  app.add_option("model", model_file, "model.yaml or a HuggingFace config.json");
  app.add_flag("--json", json, "print the result as JSON");
  app.add_flag("--csv", csv, "print the per-op table as CSV");
  app.add_option("--trace", trace_file, "write a Chrome/Perfetto trace-event JSON file (- for stdout)");
  app.add_option("--trace-ops", trace_ops, "with --trace: only ops whose name matches this regular expression");
  app.add_option("--trace-window", trace_window, "with --trace: only commands overlapping cycles START:END");
  app.add_option("--detail", detail, "pe: also run every matmul on the PE-level reference model (small shapes)")
      ->check(CLI::IsMember({"pe"}));
  app.add_option("--vcd", vcd_file, "with --detail pe: dump the first matmul's PE activity as a VCD file");
  app.add_option("--precisions", precisions, "compare precisions side by side, e.g. fp32,fp16,int8,int4")
      ->delimiter(',');
  app.add_option("--set", sets, "override a key: arch.KEY.PATH=VALUE or model.KEY.PATH=VALUE (repeatable)");
  app.add_flag("--dump-config", dump_config,
               "print the resolved arch and model as one YAML file (presets merged, --set applied) and exit; "
               "`catsim FILE` re-runs it");
  app.add_option("--outdir", outdir,
                 "also write a report folder: ops.csv, summary.json, energy.csv (and a relative --trace inside it)");
  app.add_option("--fidelity", fidelity_name,
                 "cycle (default): the cycle-level engine; analytic (= roofline) or sequential: a closed-form "
                 "estimate over the same tiling (sim/analytic), reported the same way and marked as such");
  app.add_flag("--exact-steps", exact_steps,
               "phase: generate: simulate every decode step instead of sampled kv_len points");
  if (const std::optional<int> code =
          parse_command_line(app, argc, argv, "catsim ARCH.yaml MODEL [options]; see catsim ARCH.yaml MODEL --help"))
    return *code;
  for (const char* opt : {"--trace", "--vcd"})
    if (app.count(opt) > 0 && (opt[2] == 't' ? trace_file : vcd_file).empty())
      throw ConfigError({"command line", 0, 0}, opt, "empty path (expected a file name)");
  if (json && csv) throw ConfigError({"command line", 0, 0}, "--json", "choose one of --json and --csv");
  if (!vcd_file.empty() && detail != "pe") throw ConfigError({"command line", 0, 0}, "--vcd", "needs --detail pe");
  if (vcd_file == "-")  // unlike --trace -, which streams: a VCD is written beside its target and renamed
    throw ConfigError({"command line", 0, 0}, "--vcd", "'-' is not a file name (a VCD goes to a file, not to stdout)");
  const std::optional<Fidelity> fidelity = parse_fidelity(fidelity_name);
  if (!fidelity)
    throw ConfigError({"command line", 0, 0}, "--fidelity",
                      "unknown value '" + fidelity_name + "' (expected cycle, analytic, roofline or sequential)");
  if (*fidelity != Fidelity::cycle) check_analytic_options(precisions, trace_file, detail);
  const auto overrides = parse_overrides(sets);
  // The run's heap is mapped in one system call before the design and tables are read, not a page fault at a
  // time as it grows (on a paravirtualized VM each fault exits to the hypervisor): a 128x768x768 GEMM process
  // faults 365 -> 226 pages.
  warm_heap(kRunHeapBytes);
  const DesignInputs files = resolve_design_files({arch_file, model_file, sets});
  const std::string cmd = command_line(argc, argv);
  if (!precisions.empty()) {
    check_precision_study_options(csv, trace_file, detail, dump_config, outdir);
    return report_precision_study(run_precision_study(files.arch, files.model, overrides, precisions, cmd), json, cmd);
  }
  const auto [arch, model] = load_resolved_design(files);
  for (const auto& w : model.warnings) std::fprintf(stderr, "%s\n", w.c_str());
  if (dump_config) {
    std::cout << dump_config_yaml(arch, model, cmd);
    return 0;
  }
  // Everything that can reject the input runs before SystemC does.
  validate_energy_inputs(arch);
  if (model.workload.phase == Phase::generate) {
    if (*fidelity != Fidelity::cycle)
      throw ConfigError({"command line", 0, 0}, "--fidelity",
                        "analytic estimates cover one prefill or decode pass; phase: generate needs --fidelity cycle");
    check_generation_options(csv, trace_file, detail, outdir);
    return report_generation(arch, model, json, exact_steps, cmd);
  }
  if (!outdir.empty()) {
    prepare_outdir(outdir);
    if (!trace_file.empty() && trace_file != "-" && std::filesystem::path(trace_file).is_relative())
      trace_file = (std::filesystem::path(outdir) / trace_file).string();
  }
  const TraceFilter trace_filter = parse_trace_filter(trace_ops, trace_window);
  if (trace_file.empty() && !(trace_ops.empty() && trace_window.empty()))
    throw ConfigError({"command line", 0, 0}, trace_ops.empty() ? "--trace-window" : "--trace-ops", "needs --trace");
  const bool trace_to_stdout = trace_file == "-";
  if (trace_to_stdout && (json || csv))
    throw ConfigError({"command line", 0, 0}, "--trace", "- writes the trace to stdout; --json and --csv cannot share it");
  if (!trace_file.empty() && !trace_to_stdout && !writable_path(trace_file))
    throw ConfigError({"command line", 0, 0}, "--trace", "cannot write " + trace_file);
  if (!vcd_file.empty() && !writable_path(vcd_file))
    throw ConfigError({"command line", 0, 0}, "--vcd", "cannot write " + vcd_file);
  std::vector<PeDetailRow> pe_rows;
  if (detail == "pe") {
    const bool tty = isatty(STDERR_FILENO) != 0;
    pe_rows = run_pe_detail_to(arch, model, vcd_file, [tty](std::size_t i, std::size_t n, const std::string& op) {
      if (tty) std::fprintf(stderr, "\r--detail pe: replaying %zu/%zu %-40s", i + 1, n, op.c_str());
    });
    if (tty) std::fprintf(stderr, "\r%80s\r", "");
  }
  const Evaluation ev = evaluate_design(arch, model, *fidelity);
  const SimulationResult& r = ev.sim;
  const Report& energy = ev.energy;
  nlohmann::json doc = result_document(ev, arch, model, cmd);
  if (detail == "pe") doc["pe_detail"] = pe_detail_json(pe_rows);
  require_finite_output(doc, "simulation result");
  if (!trace_file.empty()) write_chrome_trace(r, trace_file, trace_filter);
  if (!outdir.empty() &&
      !write_report_folder(outdir, op_report_csv(r, op_energies(arch, r)), doc,
                           energy_csv(energy.energy_breakdown_j, energy.energy_j)))
    throw WriteError(outdir + ": cannot write the report folder");
  if (trace_to_stdout) {
    return 0;  // stdout holds the trace alone
  } else if (json) {
    std::cout << doc.dump(2) << "\n";
  } else if (csv) {
    std::cout << op_report_csv(r, op_energies(arch, r));
  } else {
    std::cout << simulation_text(r, run_header_text(arch, model)) << energy_text(energy);
    if (detail == "pe") std::cout << pe_detail_text(pe_rows);
  }
  return 0;
}

}  // namespace catsim
