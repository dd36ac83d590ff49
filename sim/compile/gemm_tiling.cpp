#include "sim/compile/gemm_tiling.h"

#include "arch/int_math.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "sim/systolic/fold_timing.h"

namespace catsim {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

// Fold granularity of each GEMM dimension under a dataflow; 0 marks the streamed dimension.
struct Units {
  i64 m, n, k;
};

Units fold_units(const ArchSpec& arch, double rate) {
  const i64 R = arch.systolic.rows, C = arch.systolic.cols;
  const i64 pack = mac_rate_factors(rate).pack;
  switch (arch.systolic.dataflow) {
    case Dataflow::os: return {R, C, 0};
    case Dataflow::ws: return {0, C, R * pack};
    case Dataflow::is: return {C, 0, R * pack};
  }
  return {R, C, 0};
}

// Candidate tile sizes: whole-fold multiples u, 2u, 4u, ... for spatial dims; dim, dim/2, ... for the stream.
std::vector<i64> candidates(i64 dim, i64 unit) {
  std::vector<i64> out;
  if (unit == 0) {
    for (i64 d = 1;; d *= 2) {
      out.push_back(ceil_div(dim, d));
      if (ceil_div(dim, d) == 1) break;
    }
  } else {
    for (i64 t = unit;; t *= 2) {
      out.push_back(std::min(dim, t));
      if (t >= dim) break;
    }
  }
  return out;
}

struct Footprint {
  u64 a, b, c;  // double-buffered bytes of each operand's tiles
};

Footprint footprint(const GemmProblem& p, i64 mt, i64 nt, i64 kt) {
  const bool split_k = kt < p.k;
  const u64 c_elems = u64(mt) * nt;
  const u64 c_bytes = split_k ? c_elems * p.acc_bits / 8 : element_bytes(p.out, c_elems);
  return {2 * element_bytes(p.a, u64(mt) * kt), 2 * element_bytes(p.b, u64(kt) * nt), 2 * c_bytes};
}

bool fits(const ArchSpec& arch, const Footprint& f) {
  const auto& s = arch.sram;
  if (s.ifmap_kib)
    return f.a <= *s.ifmap_kib * 1024 && f.b <= *s.weight_kib * 1024 && f.c <= *s.ofmap_kib * 1024;
  return f.a + f.b + f.c <= s.kib * 1024;
}

u64 traffic(const GemmProblem& p, i64 tm, i64 tn, i64 tk, bool n_inner) {
  const u64 a = element_bytes(p.a, u64(p.m) * p.k), b = element_bytes(p.b, u64(p.k) * p.n);
  const u64 c = element_bytes(p.out, u64(p.m) * p.n);
  if (n_inner) return a * (tk == 1 ? 1 : tn) + b * tm + c;
  return b * (tk == 1 ? 1 : tm) + a * tn + c;
}

// Estimated time of a tiling: the longer of the array's cycles (closed form per tile) and the DRAM
// transfer time, plus what double buffering cannot hide (the first tile's load, the last tile's
// compute). It trades fold overheads (a split stream refills the array) against traffic and pipelining.
u64 estimated_cycles(const ArchSpec& arch, const GemmProblem& p, i64 mt, i64 nt, i64 kt, u64 bytes) {
  const ArrayShape shape{arch.systolic.rows, arch.systolic.cols};
  u64 array = 0;
  for (i64 m : {mt, p.m % mt})
    for (i64 n : {nt, p.n % nt})
      for (i64 k : {kt, p.k % kt}) {
        if (m == 0 || n == 0 || k == 0) continue;
        const u64 count = u64(m == mt ? p.m / mt : 1) * u64(n == nt ? p.n / nt : 1) * u64(k == kt ? p.k / kt : 1);
        array += count * array_cycles(arch.systolic.dataflow, arch.systolic.timing, shape, {m, n, k}, p.rate);
      }
  const u64 tiles = u64(ceil_div(p.m, mt)) * u64(ceil_div(p.n, nt)) * u64(ceil_div(p.k, kt));
  // DRAM time: the bytes at peak bandwidth plus the access latency each load command waits for (two per tile).
  const double latency = arch.dram.latency_ns * arch.clock_mhz / 1000.0;
  const double dram = arch.dram.model == DramModel::ideal
                          ? 0.0
                          : static_cast<double>(bytes) / arch.dram_bytes_per_cycle() + 2.0 * static_cast<double>(tiles) * latency;
  const u64 exposed = dram > 0 ? (static_cast<u64>(dram) + array) / tiles : 0;  // nothing to hide without DRAM time
  return std::max(array, static_cast<u64>(dram)) + exposed;
}

}  // namespace

u64 min_gemm_footprint(const ArchSpec& arch, const GemmProblem& p) {
  Units u = fold_units(arch, p.rate);
  Footprint f = footprint(p, std::min(p.m, std::max<i64>(u.m, 1)), std::min(p.n, std::max<i64>(u.n, 1)),
                          std::min(p.k, std::max<i64>(u.k, 1)));
  return f.a + f.b + f.c;
}

std::optional<GemmTiling> choose_gemm_tiling(const ArchSpec& arch, const GemmProblem& p) {
  struct Candidate {
    GemmTiling tiling;
    u64 time, tiles;
  };
  Units u = fold_units(arch, p.rate);
  std::vector<Candidate> fitting;
  u64 best_time = std::numeric_limits<u64>::max();
  for (i64 mt : candidates(p.m, u.m))
    for (i64 nt : candidates(p.n, u.n))
      for (i64 kt : candidates(p.k, u.k)) {
        Footprint f = footprint(p, mt, nt, kt);
        if (!fits(arch, f)) continue;
        const i64 tm = ceil_div(p.m, mt), tn = ceil_div(p.n, nt), tk = ceil_div(p.k, kt);
        for (bool n_inner : {true, false}) {
          const u64 bytes = traffic(p, tm, tn, tk, n_inner);
          const u64 time = estimated_cycles(arch, p, mt, nt, kt, bytes);
          fitting.push_back({{mt, nt, kt, tm, tn, tk, n_inner, bytes, f.a + f.b + f.c}, time, u64(tm) * tn * tk});
          best_time = std::min(best_time, time);
        }
      }
  // Within 1 % of the best estimated time, fewer tiles (smaller programs, less fixed overhead) win, then
  // fewer DRAM bytes: beyond that point more, smaller tiles buy nothing measurable.
  std::optional<Candidate> best;
  for (const Candidate& c : fitting) {
    if (static_cast<double>(c.time) > 1.01 * static_cast<double>(best_time)) continue;
    if (!best || c.tiles < best->tiles || (c.tiles == best->tiles && c.tiling.dram_bytes < best->tiling.dram_bytes))
      best = c;
  }
  if (!best) return std::nullopt;
  return best->tiling;
}

}  // namespace catsim
