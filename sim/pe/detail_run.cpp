#include "sim/pe/detail_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <tuple>

#include "arch/config/error.h"
#include "arch/io/atomic_file.h"
#include "arch/int_math.h"
#include "sim/compile/compiler.h"
#include "sim/compile/tile_spans.h"
#include "sim/pe/pe_model.h"
#include "sim/pe/reference_gemm.h"
#include "workloads/op_graph.h"

namespace catsim {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

constexpr u64 kMaxElements = 64'000'000;  // operand elements of one replayed share (block-diagonal stacking)

Matrix random_matrix(i64 rows, i64 cols, Precision p, std::mt19937& rng) {
  Matrix m(rows, cols);
  const int hi = p == Precision::int4 ? 7 : 127;
  std::uniform_int_distribution<int> ints(-hi - 1, hi);
  std::uniform_real_distribution<double> reals(-1.0, 1.0);
  for (auto& v : m.values) v = is_integer(p) ? ints(rng) : reals(rng);
  return m;
}

// A share's instances as one GEMM whose folds are the instances' folds, the operands spanning them
// block-diagonally, so that a fold never mixes instances and the compiled fold order maps one to one onto the
// big GEMM's folds. With several instances each compiled fold (u1 x u2 elements, a part-array fold smaller
// than the array) sits at a whole PE-array fold of its own (R rows, R x pack K elements under WS/IS, C
// columns), zero-padded, which is how the PE model counts folds; one instance keeps its own layout.
struct Layout {
  i64 u1, u2;            // the compiled fold along P1, P2 (elements)
  i64 f1s, f2s;          // compiled folds per instance along P1, P2
  i64 pitch1, pitch2;    // where consecutive folds start in the stacked GEMM along P1, P2 (elements)
  i64 inst;
  // Stacked position of element x (along P1 or P2) of instance i.
  i64 at1(i64 i, i64 x) const { return (i * f1s + x / u1) * pitch1 + x % u1; }
  i64 at2(i64 i, i64 x) const { return (i * f2s + x / u2) * pitch2 + x % u2; }
  i64 size1() const { return inst * f1s * pitch1; }
  i64 size2() const { return inst * f2s * pitch2; }
};

Layout layout_of(const ArchSpec& arch, const GemmProblem& p, const GemmMapping& g) {
  const Dataflow df = arch.systolic.dataflow;
  const RoleSizes sz = role_sizes(df, p);
  Layout l{g.u1, g.u2, ceil_div(sz.p1, g.u1), ceil_div(sz.p2, g.u2), g.u1, g.u2, p.instances};
  if (p.instances > 1) {
    const i64 pack = df == Dataflow::os ? 1 : mac_rate_factors(p.rate).pack;  // WS/IS: K packed along P1
    l.pitch1 = std::max<i64>(g.u1, i64(arch.systolic.rows) * pack);
    l.pitch2 = std::max<i64>(g.u2, arch.systolic.cols);
  } else {
    l.u1 = l.pitch1 = std::max<i64>(sz.p1, 1), l.f1s = 1;  // one instance: its own, unpadded layout
    l.u2 = l.pitch2 = std::max<i64>(sz.p2, 1), l.f2s = 1;
  }
  return l;
}

struct Stacked {
  Matrix a, b;
  std::vector<FoldRef> order;
};

Stacked stack_share(const ArchSpec& arch, const GemmProblem& p, const GemmMapping& g, std::mt19937& rng, Precision prec) {
  const Dataflow df = arch.systolic.dataflow;
  const RoleSizes sz = role_sizes(df, p);
  const i64 f1s = ceil_div(sz.p1, g.u1), f2s = ceil_div(sz.p2, g.u2), inst = p.instances;
  const Layout l = layout_of(arch, p, g);
  Stacked s;
  // The PE model streams packed elements under OS (K / pack), rows of the streamed operand otherwise.
  const i64 pack = df == Dataflow::os ? mac_rate_factors(p.rate).pack : 1;
  const TileSpans spans(df, g, sz, p.causal);
  // Fold indices in the stacked GEMM: one instance keeps the compiled ones, several take the layout's.
  const i64 p1_folds = inst > 1 ? f1s : 0, p2_folds = inst > 1 ? f2s : 0;
  for (const FoldVisit& v : fold_order(g, sz, inst, spans))
    s.order.push_back({v.inst * p1_folds + v.f1, v.inst * p2_folds + v.f2, v.s_lo / pack, ceil_div(v.s_hi, pack)});
  switch (df) {
    case Dataflow::os: s.a = Matrix(l.size1(), p.k), s.b = Matrix(p.k, l.size2()); break;
    case Dataflow::ws: s.a = Matrix(p.m, l.size1()), s.b = Matrix(l.size1(), l.size2()); break;
    case Dataflow::is: s.a = Matrix(l.size2(), l.size1()), s.b = Matrix(l.size1(), p.n); break;
  }
  for (i64 i = 0; i < inst; ++i) {
    Matrix a = random_matrix(p.m, p.k, prec, rng);
    const Matrix b = random_matrix(p.k, p.n, prec, rng);
    // AV under a causal mask: the masked probabilities are zero, which is what lets their tiles be skipped.
    if (p.causal.keys == CausalKeys::k)
      for (i64 r = 0; r < p.m; ++r)
        for (i64 key = 0; key < p.k; ++key)
          if (p.causal.masked(r, key)) a(r, key) = 0;
    // OS: P1 = M, P2 = N; WS: P1 = K, P2 = N; IS: P1 = K, P2 = M.
    for (i64 r = 0; r < p.m; ++r)
      for (i64 k = 0; k < p.k; ++k) {
        if (df == Dataflow::os) s.a(l.at1(i, r), k) = a(r, k);
        if (df == Dataflow::ws) s.a(r, l.at1(i, k)) = a(r, k);
        if (df == Dataflow::is) s.a(l.at2(i, r), l.at1(i, k)) = a(r, k);
      }
    for (i64 k = 0; k < p.k; ++k)
      for (i64 c = 0; c < p.n; ++c) {
        if (df == Dataflow::os) s.b(k, l.at2(i, c)) = b(k, c);
        if (df == Dataflow::ws) s.b(l.at1(i, k), l.at2(i, c)) = b(k, c);
        if (df == Dataflow::is) s.b(l.at1(i, k), c) = b(k, c);
      }
  }
  return s;
}

// The instances' own results agree (under OS the stacked GEMM also holds cross-instance products, which
// the compiled folds never compute).
// QK^T under a causal mask: masked scores are never read, so skipped tiles leave them unset.
bool instances_match(const ArchSpec& arch, const GemmProblem& p, const GemmMapping& g, const Matrix& pe,
                     const Matrix& ref) {
  const Dataflow df = arch.systolic.dataflow;
  const Layout l = layout_of(arch, p, g);
  for (i64 i = 0; i < p.instances; ++i)
    for (i64 r = 0; r < p.m; ++r)
      for (i64 c = 0; c < p.n; ++c) {
        const i64 row = df == Dataflow::os ? l.at1(i, r) : df == Dataflow::is ? l.at2(i, r) : r;
        const i64 col = df == Dataflow::is ? c : l.at2(i, c);
        if (!(p.causal.keys == CausalKeys::n && p.causal.masked(r, c)) && pe(row, col) != ref(row, col)) return false;
      }
  return true;
}

// What the PE model did for one share: the cycle each fold placement started and the chain's end.
struct PeChain {
  std::vector<i64> starts;
  u64 cycles = 0, useful_macs = 0;
  double peak = 0;
  bool outputs_match = false;
};

PeChain replay_share(const ArchSpec& arch, const std::string& op, const GemmProblem& p, const GemmMapping& g,
                     Precision prec, std::mt19937& rng, VcdWriter* vcd) {
  const ArrayShape shape{arch.systolic.rows, arch.systolic.cols};
  const u64 steps = g.array_cycles * u64(shape.rows) * u64(shape.cols);
  if (steps > kMaxPeSteps)
    throw ConfigError({"--detail", 0, 0}, "pe",
                      fmt::format("{} ({} x {}x{}x{} on one core) needs {} PE-steps, more than the {} --detail pe "
                                  "allows (expected a smaller model, e.g. kind: gemm)",
                                  op, p.instances, p.m, p.n, p.k, steps, kMaxPeSteps));
  const RoleSizes sz = role_sizes(arch.systolic.dataflow, p);
  const Layout l = layout_of(arch, p, g);  // the stacked operands are at most (P1 + S) x (P2 + S) elements
  const u64 elements = u64(l.size1() + sz.s) * u64(l.size2() + sz.s);
  if (elements > kMaxElements)
    throw ConfigError({"--detail", 0, 0}, "pe",
                      fmt::format("{}: {} instances per core are too many to replay at PE level (expected fewer "
                                  "heads or a smaller batch)",
                                  op, p.instances));
  PeArrayConfig cfg{shape, arch.systolic.dataflow, arch.systolic.timing, prec, p.rate};
  Stacked s = stack_share(arch, p, g, rng, prec);
  PeRunOptions options;
  options.vcd = vcd;
  options.order = s.order;
  PeRunResult r = run_pe_gemm(cfg, s.a, s.b, options);
  PeChain c;
  c.starts = std::move(r.fold_starts);
  c.cycles = r.cycles;
  c.useful_macs = r.useful_macs;
  c.peak = r.active_pes.empty() ? 0 : *std::max_element(r.active_pes.begin(), r.active_pes.end());
  const i64 k_group = arch.systolic.dataflow == Dataflow::os && g.reload ? g.ts : 0;
  c.outputs_match = instances_match(arch, p, g, r.c, reference_gemm(cfg, s.a, s.b, k_group));
  return c;
}

// Holds the engine's array commands for one share against the PE model's chain.
void compare(const Program& prog, int op, int core, const PeChain& pe, PeDetailRow& row) {
  i64 engine_end = 0;
  std::vector<const Command*> cmds;
  for (const Command& c : prog.commands)
    if (c.op == op && c.core == core && c.unit == UnitKind::array) cmds.push_back(&c);
  for (std::size_t i = 0; i < cmds.size(); ++i) {
    engine_end += static_cast<i64>(cmds[i]->cycles);
    const ChainSegment& seg = cmds[i]->segment;
    const bool last = i + 1 == cmds.size();
    const i64 pe_end = last ? static_cast<i64>(pe.cycles)
                            : seg.last < pe.starts.size() ? pe.starts[seg.last] + seg.last_slot : -1;
    row.commands_matching += pe_end == engine_end ? 1 : 0;
  }
  row.commands = cmds.size();
  row.engine_cycles = static_cast<u64>(engine_end);
}

}  // namespace

std::vector<PeDetailRow> run_pe_detail(const ArchSpec& arch, const ModelSpec& model, const std::string& vcd_path,
                                       const PeProgress& progress) {
  const OpGraph g = lower(model);
  const Program prog = compile(arch, model, g);
  std::mt19937 rng(1);
  std::ofstream vcd_file;
  std::unique_ptr<VcdWriter> vcd;
  if (!vcd_path.empty()) {
    vcd_file.open(vcd_path);
    if (!vcd_file) throw ConfigError({"--vcd", 0, 0}, vcd_path, "cannot write the VCD file");
    vcd = std::make_unique<VcdWriter>(vcd_file);
  }
  std::size_t matmuls = 0, done = 0;
  for (const Op& op : g.ops) matmuls += is_matmul(op.kind) ? 1 : 0;
  using Key = std::tuple<i64, i64, i64, i64, i64, i64, i64, bool, bool, bool, bool, int, i64, i64>;
  std::map<Key, PeChain> cache;
  std::vector<PeDetailRow> rows;
  for (std::size_t i = 0; i < g.ops.size(); ++i) {
    if (!is_matmul(g.ops[i].kind)) continue;
    if (progress) progress(done++, matmuls, g.ops[i].name);
    const OpPlan& plan = prog.ops[i];
    for (std::size_t core = 0; core < plan.cores.size(); ++core) {
      const CoreGemm& cg = plan.cores[core];
      if (cg.share.empty()) continue;
      const GemmProblem p = cg.share.problem(plan.gemm);
      const GemmMapping& m = cg.mapping;
      PeDetailRow row{g.ops[i].name, static_cast<int>(core), p.instances, p.m, p.n, p.k, plan.compute};
      // A causal share's skipped tiles depend on where it starts: only shares at the same place are identical.
      const bool causal = p.causal.on();
      const Key key{p.instances, p.m, p.n, p.k, m.t1, m.t2, m.ts, m.p1_outer, m.hold_x1, m.hold_x2, m.reload,
                    static_cast<int>(plan.compute), causal ? p.causal.row0 : -1, causal ? p.causal.key0 : -1};
      auto it = cache.find(key);
      row.reused = it != cache.end();
      if (!row.reused)
        it = cache.emplace(key, replay_share(arch, row.op, p, m, plan.compute, rng, rows.empty() ? vcd.get() : nullptr))
                 .first;
      const PeChain& pe = it->second;
      row.pe_cycles = pe.cycles, row.useful_macs = pe.useful_macs, row.peak_active_pes = pe.peak;
      row.outputs_match = pe.outputs_match;
      compare(prog, static_cast<int>(i), static_cast<int>(core), pe, row);
      rows.push_back(std::move(row));
    }
  }
  if (vcd_file.is_open()) {  // a VCD that could not be written whole is an error, not a truncated file
    vcd_file.flush();
    if (!vcd_file) throw WriteError(vcd_path + ": cannot write: " + std::strerror(errno));
  }
  return rows;
}

}  // namespace catsim
