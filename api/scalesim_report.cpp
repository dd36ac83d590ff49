#include "api/scalesim_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace catsim {
namespace {

double ceil_div(std::int64_t a, std::int64_t b) { return static_cast<double>((a + b - 1) / b); }

// Spatial rows and columns and the streamed length of a GEMM under a dataflow (SCALE-Sim's Sr, Sc, T).
struct Spatial {
  std::int64_t sr, sc, t;
};
Spatial spatial(Dataflow df, const GemmSpec& g) {
  switch (df) {
    case Dataflow::os: return {g.m, g.n, g.k};
    case Dataflow::ws: return {g.k, g.n, g.m};
    case Dataflow::is: return {g.k, g.m, g.n};
  }
  return {g.m, g.n, g.k};
}

}  // namespace

std::vector<ScaleSimLayer> scalesim_layers(const ArchSpec& arch, const ModelSpec& model, const SimulationResult& r) {
  // Each layer's array span: its first array command's start to its last one's end.
  std::vector<std::uint64_t> first(r.ops.size(), std::numeric_limits<std::uint64_t>::max()), last(r.ops.size(), 0);
  for (std::size_t id = 0; id < r.program.commands.size(); ++id) {
    const Command& c = r.program.commands[id];
    if (c.unit != UnitKind::array) continue;
    first[c.op] = std::min(first[c.op], r.times.start[id]);
    last[c.op] = std::max(last[c.op], r.times.end[id]);
  }
  const double rows = arch.systolic.rows, cols = arch.systolic.cols, pes = rows * cols;
  std::vector<ScaleSimLayer> out;
  for (std::size_t i = 0; i < r.ops.size() && i < model.gemms.size(); ++i) {
    ScaleSimLayer l;
    const std::uint64_t span = last[i] > first[i] ? last[i] - first[i] : 0;
    l.total_cycles = span > 0 ? span - 1 : 0;
    const Spatial s = spatial(arch.systolic.dataflow, model.gemms[i]);
    const double folds = ceil_div(s.sr, arch.systolic.rows) * ceil_div(s.sc, arch.systolic.cols);
    const double used = static_cast<double>(s.sr) * static_cast<double>(s.sc);  // PEs over all folds
    // SCALE-Sim's fold length: OS R + C + T - 2; WS and IS count the stationary load and the skew too.
    const double fold_cycles = arch.systolic.dataflow == Dataflow::os ? rows + cols + static_cast<double>(s.t) - 2
                                                                      : 2 * rows + 2 * cols + static_cast<double>(s.t) - 3;
    l.overall_util_pct = l.total_cycles ? 100.0 * static_cast<double>(r.ops[i].macs) / (pes * static_cast<double>(l.total_cycles)) : 0;
    l.mapping_eff_pct = 100.0 * used / (folds * pes);
    l.compute_util_pct = 100.0 * used * static_cast<double>(s.t) / (folds * pes * fold_cycles);
    const double cyc = std::max<double>(1, static_cast<double>(span));
    const EventCounts& c = r.ops[i].counts;
    l.sram_bw[0] = static_cast<double>(c.sram_read_bytes[SramBufferKind::ifmap]) / cyc;
    l.sram_bw[1] = static_cast<double>(c.sram_read_bytes[SramBufferKind::weight]) / cyc;
    l.sram_bw[2] = static_cast<double>(c.sram_write_bytes[SramBufferKind::ofmap]) / cyc;
    GemmTraffic t;
    for (const CoreGemm& core : r.program.ops[i].cores) {
      t.a_read += core.mapping.traffic.a_read;
      t.b_read += core.mapping.traffic.b_read;
      t.c_write += core.mapping.traffic.c_write;
    }
    l.dram_bw[0] = static_cast<double>(t.a_read) / cyc;
    l.dram_bw[1] = static_cast<double>(t.b_read) / cyc;
    l.dram_bw[2] = static_cast<double>(t.c_write) / cyc;
    out.push_back(l);
  }
  return out;
}

std::string compute_report_csv(const std::vector<ScaleSimLayer>& layers) {
  std::string s = "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n";
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const ScaleSimLayer& l = layers[i];
    s += fmt::format("{}, {}, {}, {:.4f}, {:.4f}, {:.4f},\n", i, l.total_cycles, l.stall_cycles, l.overall_util_pct,
                     l.mapping_eff_pct, l.compute_util_pct);
  }
  return s;
}

std::string bandwidth_report_csv(const std::vector<ScaleSimLayer>& layers) {
  std::string s = "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, Avg IFMAP DRAM BW, "
                  "Avg FILTER DRAM BW, Avg OFMAP DRAM BW,\n";
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const ScaleSimLayer& l = layers[i];
    s += fmt::format("{}, {:.4f}, {:.4f}, {:.4f}, {:.4f}, {:.4f}, {:.4f},\n", i, l.sram_bw[0], l.sram_bw[1],
                     l.sram_bw[2], l.dram_bw[0], l.dram_bw[1], l.dram_bw[2]);
  }
  return s;
}

}  // namespace catsim
