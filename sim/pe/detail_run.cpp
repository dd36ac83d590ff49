#include "sim/pe/detail_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "arch/config/error.h"
#include "sim/compile/compiler.h"
#include "sim/pe/pe_model.h"
#include "sim/pe/reference_gemm.h"
#include "workloads/op_graph.h"

namespace catsim {
namespace {

Matrix random_matrix(std::int64_t rows, std::int64_t cols, Precision p, std::mt19937& rng) {
  Matrix m(rows, cols);
  const int hi = p == Precision::int4 ? 7 : 127;
  std::uniform_int_distribution<int> ints(-hi - 1, hi);
  std::uniform_real_distribution<double> reals(-1.0, 1.0);
  for (auto& v : m.values) v = is_integer(p) ? ints(rng) : reals(rng);
  return m;
}

PeDetailRow run_one(const ArchSpec& arch, const Op& op, std::int64_t m, Precision p, std::mt19937& rng,
                    VcdWriter* vcd) {
  PeArrayConfig cfg{{arch.systolic.rows, arch.systolic.cols}, arch.systolic.dataflow, arch.systolic.timing, p,
                    arch.systolic.macs_per_pe_per_cycle.at(p)};
  PeDetailRow row{op.name, m, op.n, op.k, p};
  row.closed_form_cycles = array_cycles(cfg.dataflow, cfg.timing, cfg.array, {m, op.n, op.k}, cfg.macs_per_pe_per_cycle);
  const std::uint64_t steps = row.closed_form_cycles * std::uint64_t(cfg.array.rows) * std::uint64_t(cfg.array.cols);
  if (steps > kMaxPeSteps)
    throw ConfigError({"--detail", 0, 0}, "pe",
                      fmt::format("{} ({}x{}x{}) needs {} PE-steps, more than the {} --detail pe allows (expected a "
                                  "smaller model, e.g. kind: gemm)",
                                  op.name, m, op.n, op.k, steps, kMaxPeSteps));
  Matrix a = random_matrix(m, op.k, p, rng), b = random_matrix(op.k, op.n, p, rng);
  PeRunOptions options;
  options.vcd = vcd;
  PeRunResult r = run_pe_gemm(cfg, a, b, options);
  row.pe_cycles = r.cycles;
  row.useful_macs = r.useful_macs;
  row.peak_active_pes = r.active_pes.empty() ? 0 : *std::max_element(r.active_pes.begin(), r.active_pes.end());
  row.outputs_match = r.c.values == reference_gemm(cfg, a, b).values;
  return row;
}

}  // namespace

std::vector<PeDetailRow> run_pe_detail(const ArchSpec& arch, const ModelSpec& model, const std::string& vcd_path) {
  OpGraph g = lower(model);
  std::mt19937 rng(1);
  std::vector<PeDetailRow> rows;
  std::ofstream vcd_file;
  std::unique_ptr<VcdWriter> vcd;
  if (!vcd_path.empty()) {
    vcd_file.open(vcd_path);
    if (!vcd_file) throw ConfigError({"--vcd", 0, 0}, vcd_path, "cannot write the VCD file");
    vcd = std::make_unique<VcdWriter>(vcd_file);
  }
  for (const Op& op : g.ops) {
    if (!is_matmul(op.kind)) continue;
    const Precision p = compute_precision(op.a_prec, op.b_prec);
    if (!arch.supports(p))
      throw ConfigError(arch.where("systolic.precisions"), "systolic.precisions",
                        fmt::format("{} does not compute in {} (needed by {})", arch.name, name_of(p), op.name));
    const std::int64_t m = op.kind == OpKind::batched_matmul ? op.m * (op.count / op.b_count) : op.m;
    rows.push_back(run_one(arch, op, m, p, rng, rows.empty() ? vcd.get() : nullptr));
  }
  return rows;
}

}  // namespace catsim
