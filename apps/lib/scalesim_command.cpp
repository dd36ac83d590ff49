#include "apps/lib/scalesim_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "api/format.h"
#include "apps/lib/parse_error.h"
#include "apps/lib/report_folder.h"
#include "api/scalesim_config.h"
#include "api/scalesim_report.h"
#include "arch/arch_parser.h"
#include "arch/config/error.h"
#include "arch/io/atomic_file.h"
#include "workloads/model_parser.h"
#include "workloads/scalesim_topology.h"

namespace catsim {
namespace {

constexpr const char* kScalesimUsage = "catsim scalesim CONFIG.cfg TOPOLOGY.csv --outdir DIR; see catsim scalesim --help";

}  // namespace

int scalesim_main(int argc, char** argv) {
  CLI::App app{"catsim scalesim: run SCALE-Sim v2 inputs and write its COMPUTE_REPORT.csv and BANDWIDTH_REPORT.csv",
               "catsim scalesim"};
  std::string cfg_file, topology, outdir;
  app.add_option("config", cfg_file, "SCALE-Sim v2 .cfg file")->required();
  app.add_option("topology", topology, "SCALE-Sim GEMM (Layer, M, N, K) or convolution topology .csv")->required();
  app.add_option("--outdir", outdir, "directory for COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv and catsim_arch.yaml")
      ->required();
  if (const std::optional<int> code = parse_command_line(app, argc, argv, kScalesimUsage)) return *code;
  const ScaleSimConfig cfg = read_scalesim_config(cfg_file);
  if (!is_topology_csv(topology))
    throw ConfigError({topology, 0, 0}, "", "expected a SCALE-Sim topology .csv file");
  const ModelSpec model = load_model(topology);
  prepare_outdir(outdir);
  if (cfg.user_bandwidth)
    std::fprintf(stderr, "%s: InterfaceBandwidth USER: catsim reports CALC-mode (stall-free) cycles\n", cfg_file.c_str());
  namespace fs = std::filesystem;
  const std::string arch_file = (fs::path(outdir) / "catsim_arch.yaml").string();
  write_file_atomically(arch_file, scalesim_arch_yaml(cfg));
  const ArchSpec arch = load_arch(arch_file);
  const SimulationResult r = run_simulation(arch, model);
  const std::vector<ScaleSimLayer> layers = scalesim_layers(arch, model, r);
  write_file_atomically((fs::path(outdir) / "COMPUTE_REPORT.csv").string(), compute_report_csv(layers));
  write_file_atomically((fs::path(outdir) / "BANDWIDTH_REPORT.csv").string(), bandwidth_report_csv(layers));
  std::cout << fmt::format("catsim scalesim  {} on {} ({}x{} {}, SCALE-Sim timing, ideal memory)\n", model.name,
                           cfg.run_name, cfg.rows, cfg.cols, cfg.dataflow);
  std::cout << fmt::format("{:<6} {:<24} {:>22} {:>14} {:>9}\n", "layer", "name", "M x N x K", "total cycles", "util %");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const GemmSpec& g = model.gemms[i];
    std::cout << fmt::format("{:<6} {:<24} {:>22} {:>14} {:>9.2f}\n", i, g.name, fmt::format("{}x{}x{}", g.m, g.n, g.k),
                             with_commas(layers[i].total_cycles), layers[i].overall_util_pct);
  }
  std::cout << "wrote " << (fs::path(outdir) / "COMPUTE_REPORT.csv").string() << ", BANDWIDTH_REPORT.csv and "
            << "catsim_arch.yaml\n";
  return 0;
}

}  // namespace catsim
