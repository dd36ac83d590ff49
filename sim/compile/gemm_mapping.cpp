#include "sim/compile/gemm_mapping.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "arch/int_math.h"
#include "sim/compile/tile_spans.h"
#include "sim/systolic/fold_chain.h"

namespace catsim {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;


// The problem seen through the dataflow: sizes of P1, P2, S, fold units and stream slots per element.
struct View {
  Dataflow dataflow;
  i64 p1, p2, s;
  i64 u1, u2;       // one fold along P1, P2
  i64 pack1;        // elements per PE along P1 (K packs when it lies on the rows)
  i64 s_align;      // stream chunks are multiples of this (OS packs K)
  i64 slots;        // stream cycles of one fold (whole S)
  i64 stretch;      // cycles per streamed (packed) element
  i64 folds;        // per instance
  Precision prec[3];  // Stat, X1, X2 element precisions (final values)
  bool out_is_x2;     // WS/IS: the output spans P2 x S and K = P1 is split over P1 tiles
};

View view_of(const ArchSpec& arch, const GemmProblem& p) {
  const Dataflow df = arch.systolic.dataflow;
  const DimRoles r = roles_of(df);
  const MacRate rate = mac_rate_factors(p.rate);
  View v{};
  v.dataflow = df, v.out_is_x2 = df != Dataflow::os, v.s_align = 1;
  v.p1 = dim_size(p, r.p1), v.p2 = dim_size(p, r.p2), v.s = dim_size(p, r.s);
  v.pack1 = r.p1 == GemmDim::k ? rate.pack : 1;
  v.u1 = i64{arch.systolic.rows} * v.pack1;
  v.u2 = arch.systolic.cols;
  if (r.s == GemmDim::k) v.s_align = rate.pack;
  v.slots = (r.s == GemmDim::k ? ceil_div(v.s, rate.pack) : v.s) * rate.stretch;
  v.stretch = rate.stretch;
  v.folds = ceil_div(v.p1, v.u1) * ceil_div(v.p2, v.u2);
  auto prec = [&](Tensor t) {
    switch (operand_of(df, t)) {
      case GemmOperand::a: return p.a;
      case GemmOperand::b: return p.b;
      case GemmOperand::c: return p.out;
    }
    return p.out;
  };
  v.prec[0] = prec(Tensor::stat), v.prec[1] = prec(Tensor::x1), v.prec[2] = prec(Tensor::x2);
  return v;
}

// Tile sizes along a spatial dimension, ascending: part-array folds (u/2 and u/4: kSubFoldLevels halvings,
// in whole PEs of `pack` elements each), then whole folds u, 2u, 4u, ... up to the dimension.
// A part-array fold is what a smaller array would place: the larger array keeps every schedule of an array
// up to 2^kSubFoldLevels times smaller along that side (it pays its own fill and drain for it).
constexpr int kSubFoldLevels = 2;
std::vector<i64> spatial_sizes(i64 dim, i64 pes, i64 pack) {
  std::vector<i64> out;
  for (int j = kSubFoldLevels; j >= 1; --j) {
    const i64 t = (pes >> j) * pack;
    if (t > 0 && t < dim && (out.empty() || t > out.back())) out.push_back(t);
  }
  const i64 unit = pes * pack;
  for (i64 t = unit;; t *= 2) {
    out.push_back(std::min(dim, t));
    if (t >= dim) break;
  }
  return out;
}

// Stream chunks: the whole stream, halves, quarters, ... down to one aligned element.
std::vector<i64> stream_sizes(i64 dim, i64 align) {
  std::vector<i64> out;
  for (i64 d = 1;; d *= 2) {
    const i64 t = std::min(dim, ceil_div(ceil_div(dim, d), align) * align);
    if (out.empty() || t < out.back()) out.push_back(t);
    if (t <= align) break;
  }
  return out;
}

// Stream cycles of elements [lo, hi) of S (OS packs K; chunks start on pack boundaries).
i64 slots_between(const View& v, i64 lo, i64 hi) {
  return (ceil_div(hi, v.s_align) - lo / v.s_align) * v.stretch;
}

u64 bytes(Precision p, i64 a, i64 b) { return element_bytes(p, u64(a) * u64(b)); }
u64 acc_bytes(const GemmProblem& p, i64 a, i64 b) { return u64(a) * u64(b) * u64(p.acc_bits) / 8; }

// The scratchpad's capacity: one pool, or (SCALE-Sim's split) one per operand A, B, C.
struct Capacity {
  bool split;
  u64 bytes;
  double by_operand[3];  // compared as doubles, as the KiB they come from
  int operand[3];        // of Stat, X1, X2
};

Capacity capacity_of(const ArchSpec& arch) {
  const auto& s = arch.sram;
  Capacity c{s.ifmap_kib.has_value(), static_cast<u64>(s.kib * 1024), {0, 0, 0}, {0, 0, 0}};
  if (!c.split) return c;
  c.by_operand[0] = *s.ifmap_kib * 1024, c.by_operand[1] = *s.weight_kib * 1024;
  c.by_operand[2] = *s.ofmap_kib * 1024;
  for (Tensor t : {Tensor::stat, Tensor::x1, Tensor::x2})
    c.operand[static_cast<int>(t)] = static_cast<int>(operand_of(arch.systolic.dataflow, t));
  return c;
}

bool fits(const Capacity& c, const u64 tile[3]) {
  if (!c.split) return tile[0] + tile[1] + tile[2] <= c.bytes;
  u64 by_operand[3] = {0, 0, 0};
  for (int t = 0; t < 3; ++t) by_operand[c.operand[t]] += tile[t];
  for (int o = 0; o < 3; ++o)
    if (!(static_cast<double>(by_operand[o]) <= c.by_operand[o])) return false;
  return true;
}

// What every candidate of one problem shares: the problem through the dataflow, the array time of the
// continued chain, each tensor's bytes moved once and the cost model's bandwidth.
struct Search {
  const ArchSpec& arch;
  const GemmProblem& p;
  View v;
  Capacity capacity;
  bool x1_is_a;               // X1 is operand A (else B; the other input is Stat or X2)
  double bw;                  // DRAM bytes per cycle of this core
  ArrayShape shape;
  u64 array;                  // array cycles of the whole-stream fold chain
  u64 stat, x1, x2;           // Stat, X1, X2 bytes of one instance (final values)
  u64 psum;                   // the WS/IS output in accumulator width, one instance
  u64 inst, a_once, b_once;   // instances; A and B bytes read once, all instances
  double latency;             // one DRAM access, cycles
  double port;                // the scratchpad port's bytes per cycle (shared by the core's DMA engines)
  bool ideal;                 // costed as ideal memory: the estimate is the array time
};

Search search_of(const ArchSpec& arch, const GemmProblem& p, double bw) {
  const ArrayShape shape{arch.systolic.rows, arch.systolic.cols};
  Search s{arch, p, view_of(arch, p), capacity_of(arch), false, bw, shape, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           static_cast<double>(arch.sram.bytes_per_cycle), arch.dram.model == DramModel::ideal};
  const View& v = s.v;
  s.x1_is_a = operand_of(v.dataflow, Tensor::x1) == GemmOperand::a;
  s.array = chain_cycles(v.dataflow, arch.systolic.timing, s.shape, v.folds * p.instances, v.slots);
  s.stat = bytes(v.prec[0], v.p1, v.p2), s.x1 = bytes(v.prec[1], v.p1, v.s), s.x2 = bytes(v.prec[2], v.p2, v.s);
  s.psum = acc_bytes(p, v.p2, v.s);
  s.inst = u64(p.instances);
  s.a_once = s.inst * element_bytes(p.a, u64(p.m) * u64(p.k));
  s.b_once = s.inst * element_bytes(p.b, u64(p.k) * u64(p.n));
  s.latency = arch.dram_latency_cycles();
  return s;
}

// One stream chunk size: the chunk count, and the array cycles when every multi-fold tile is placed again
// per chunk.
struct Stream {
  i64 ts, ns;
  bool chunked;
  StreamChunks chunks;
  u64 reloaded;  // with whole folds
};

Stream stream_of(const Search& s, i64 ts) {
  const View& v = s.v;
  Stream st{ts, ceil_div(v.s, ts), ts < v.s, {}, 0};
  // Chunks start on multiples of ts (a multiple of s_align when chunked): all stream ts but the remainder.
  st.chunks = StreamChunks{st.ns, slots_between(v, 0, ts), slots_between(v, (st.ns - 1) * ts, v.s)};
  st.reloaded =
      chunked_chain_cycles(v.dataflow, s.arch.systolic.timing, s.shape, v.folds * s.p.instances, st.chunks);
  return st;
}

// Array cycles of a candidate whose folds are u1 x u2 (part-array folds: more of them than whole ones).
u64 part_fold_cycles(const Search& s, const Stream& st, i64 u1, i64 u2, bool reload) {
  const View& v = s.v;
  const i64 folds = ceil_div(v.p1, u1) * ceil_div(v.p2, u2) * s.p.instances;
  const ArrayTiming timing = s.arch.systolic.timing;
  return reload ? chunked_chain_cycles(v.dataflow, timing, s.shape, folds, st.chunks)
                : chain_cycles(v.dataflow, timing, s.shape, folds, v.slots);
}

// Overflow-checked product for the traffic sums: false when it exceeds 2^64 - 1.
bool mul_fits(u64 a, u64 b, u64& out) { return !__builtin_mul_overflow(a, b, &out); }

// too_big: does not fit the scratchpad; overflow: moves more bytes than 64 bits count; skipped: fits,
// but its estimate was never computed (it cannot win).
enum class Outcome { too_big, overflow, skipped, ok };

// Footprint, bytes and loads of the candidate `g` (tile sizes, counts, loop order and holds set); too_big
// when it does not fit the scratchpad, overflow when it moves more bytes than 64 bits count.
Outcome evaluate(const Search& s, GemmMapping& g) {
  const View& v = s.v;
  const GemmProblem& p = s.p;
  const bool partial = v.out_is_x2 && g.n1 > 1;  // the WS/IS output meets several K tiles
  // (1) Footprint: tiles double-buffered (the stationary one single where the mapping says so); a held
  // operand spans the whole stream; partial sums in acc bits.
  const i64 s1 = g.hold_x1 ? v.s : g.ts, s2 = g.hold_x2 ? v.s : g.ts;
  u64 tile[3];
  const bool os_partial = !v.out_is_x2 && g.reload;  // OS outputs wait between chunks in acc bits
  tile[0] = (g.single_stat ? 1 : 2) * (os_partial ? acc_bytes(p, g.t1, g.t2) : bytes(v.prec[0], g.t1, g.t2));
  tile[1] = 2 * bytes(v.prec[1], g.t1, s1);
  tile[2] = partial ? 2 * acc_bytes(p, g.t2, s2) : 2 * bytes(v.prec[2], g.t2, s2);
  if (!fits(s.capacity, tile)) return Outcome::too_big;
  g.footprint = tile[0] + tile[1] + tile[2];
  // (2) Traffic: Stat once; X1 once if held, else once per P2 tile; X2 likewise per P1 tile; an output that
  // is not held spills its partial sums after every K tile but the last and reads them back. Checked: a
  // huge GEMM on a tiny array re-reads its operands more often than 64 bits can count.
  u64 x1_read = 0, other_read = 0, c_write = 0, psum = 0;  // other: the input that is not X1 (Stat or X2)
  if (!mul_fits(s.x1, g.hold_x1 ? 1 : u64(g.n2), x1_read)) return Outcome::overflow;
  if (v.out_is_x2) {
    other_read = s.stat, c_write = s.x2;
    if (partial && !g.hold_x2 && !mul_fits(u64(g.n1 - 1), s.psum, psum)) return Outcome::overflow;
  } else {
    if (!mul_fits(s.x2, g.hold_x2 ? 1 : u64(g.n1), other_read)) return Outcome::overflow;
    c_write = s.stat;
  }
  if (!mul_fits(x1_read, s.inst, x1_read) || !mul_fits(other_read, s.inst, other_read) ||
      !mul_fits(c_write, s.inst, c_write) || !mul_fits(psum, s.inst, psum))
    return Outcome::overflow;
  const u64 a_read = s.x1_is_a ? x1_read : other_read, b_read = s.x1_is_a ? other_read : x1_read;
  // Where the bytes go: staged DRAM inputs leave DRAM once, their re-reads come from the global buffer.
  u64 dram = 0, global = 0;
  auto place = [&](u64 read, u64 once, bool on_chip, std::int64_t sharers) {
    const u64 first = std::min(read, once) / u64(std::max<std::int64_t>(1, sharers));
    if (on_chip) global += read;
    else if (p.staged) dram += first, global += read - first;
    else dram += read;
  };
  place(a_read, s.a_once, p.a_on_chip, p.a_sharers);
  place(b_read, s.b_once, p.b_on_chip, p.b_sharers);
  place(psum, psum, p.psum_on_chip, 1);  // spilled partial sums read back
  const u64 dram_load = dram, global_load = global;
  place(c_write, c_write, p.c_on_chip, 1);
  place(psum, psum, p.psum_on_chip, 1);  // spilled partial sums written
  g.traffic = GemmTraffic{a_read, b_read, c_write, psum, psum, dram, global, dram - dram_load, global - global_load};
  // (3) Load commands, for the latency term of the cost model: per tile (and chunk) what is not held.
  const u64 tiles = u64(g.n1) * u64(g.n2), steps = tiles * u64(g.ns);
  u64 loads = v.out_is_x2 ? tiles : 0;
  loads += g.hold_x1 ? u64(g.n1) : steps;
  if (!v.out_is_x2) loads += g.hold_x2 ? u64(g.n2) : steps;
  if (partial && !g.hold_x2) loads += steps / u64(g.n1) * u64(g.n1 - 1);
  g.loads = loads * s.inst;
  return Outcome::ok;
}

// Under a causal mask the compiler skips all-masked chunks (tile_spans.h): a candidate's bytes, loads and
// array cycles shrink by the fraction `live` of its query x key blocks that are live, so tiles that follow
// the diagonal win.
void scale_to_live(double live, GemmMapping& g) {
  auto scale = [live](u64& x) { x = static_cast<u64>(std::ceil(static_cast<double>(x) * live)); };
  GemmTraffic& t = g.traffic;
  for (u64* x : {&t.a_read, &t.b_read, &t.c_write, &t.psum_read, &t.psum_write, &t.dram, &t.global, &t.dram_store,
                 &t.global_store, &g.loads, &g.array_cycles})
    scale(*x);
}

// Cost model: the longer of the array's fold chain and the memory time, plus what double buffering cannot
// hide: the first tile's loads before the array starts. The memory time is one access latency plus the
// longest of: the load engine's bytes (it moves one command's data at a time, so its DRAM and global-buffer
// loads add up), the store engine's likewise, all DRAM bytes at this core's share of DRAM, all global-buffer
// bytes at its share of the buffer, and every byte through the core's scratchpad port.
void estimate(const Search& s, GemmMapping& g) {
  if (s.ideal) {
    g.estimate = g.steady = g.array_cycles;
    return;
  }
  const GemmProblem& p = s.p;
  const GemmTraffic& t = g.traffic;
  const double bw = s.bw, latency = s.latency;
  auto at_dram = [&](u64 bytes) { return static_cast<double>(bytes) / bw; };
  auto at_global = [&](u64 bytes) {
    return p.global_bytes_per_cycle > 0 ? static_cast<double>(bytes) / p.global_bytes_per_cycle : 0.0;
  };
  const double loads = at_dram(t.dram - t.dram_store) + at_global(t.global - t.global_store);
  const double stores = at_dram(t.dram_store) + at_global(t.global_store);
  const double port = s.port > 0 ? static_cast<double>(t.dram + t.global) / s.port : 0.0;
  // DMA engines keep many requests in flight (dma.outstanding), so the latency shows once, not per load.
  const double dram = std::max({loads, stores, at_dram(t.dram), at_global(t.global), port}) + latency;
  const double first = static_cast<double>(g.footprint) / 2.0 / bw + latency;
  // A single-buffered stationary tile's transfer (WS/IS: the next tile's load; OS: this tile's store) waits
  // for the array and the array for it, once per tile: at the core's DRAM share and one latency each.
  double exposed = 0;
  if (g.single_stat) {
    const double tiles = static_cast<double>(g.n1) * static_cast<double>(g.n2) * static_cast<double>(s.inst);
    exposed = tiles * (at_dram(bytes(s.v.prec[0], g.t1, g.t2)) + latency);
  }
  // Saturate: an estimate beyond 2^63 cycles only has to lose against every sane mapping.
  const double steady = std::max(static_cast<double>(g.array_cycles) + exposed, dram);
  g.steady = static_cast<u64>(std::min(steady, 0x1p63));
  g.estimate = static_cast<u64>(std::min(steady + first, 0x1p63));
}

// Tile sizes along P1 and P2 with their tile counts.
struct Tiles {
  i64 t1, n1, t2, n2;
};

// The estimate a candidate must not exceed to matter: the fastest so far plus its slack (none yet: all
// matter). Beyond it, a candidate is passed over before the estimate's divisions.
struct Cutoff {
  u64 within = ~u64{0};
  double per_byte = 0, first_per_byte = 0;  // 1 / bandwidth, 1 / (2 x bandwidth)
};

// Whether the estimate of `g` (everything but the estimate known) must exceed the cutoff.
bool beyond(const Search& s, const Cutoff& cut, const GemmMapping& g) {
  if (s.ideal) return g.array_cycles > cut.within;  // the estimate: array time
  if (cut.within == ~u64{0} || !(s.latency >= 0)) return false;
  // The estimate without the global-buffer term, by multiplications: within a few ulps of a lower bound of
  // the estimate, so a margin of 1e-9 and 2 cycles keeps the test conservative.
  const double mem = static_cast<double>(g.traffic.dram) * cut.per_byte + s.latency;
  const double bound = std::max(static_cast<double>(g.array_cycles), mem) +
                       static_cast<double>(g.footprint) * cut.first_per_byte + s.latency;
  return std::min(bound * (1 - 1e-9), 0x1p63) - 2 > static_cast<double>(cut.within) * (1 + 1e-9);
}

// The candidate with tiles `tiles`, chunk `st`, loop order and hold, costed; `live`: its causal live
// fraction (1 without a mask).
Outcome candidate(const Search& s, const Stream& st, Tiles tiles, bool p1_outer, bool held, bool single,
                  double live, const Cutoff& cut, GemmMapping& g) {
  const View& v = s.v;
  // Every field is set on the way to ok (g may hold an earlier candidate).
  g.t1 = tiles.t1, g.t2 = tiles.t2, g.ts = st.ts, g.n1 = tiles.n1, g.n2 = tiles.n2, g.ns = st.ns;
  // A tile narrower than a fold (and than the dimension) is placed as a part-array fold of its own size.
  const bool part1 = tiles.t1 < v.u1 && tiles.t1 < v.p1, part2 = tiles.t2 < v.u2 && tiles.t2 < v.p2;
  g.u1 = part1 ? tiles.t1 : v.u1, g.u2 = part2 ? tiles.t2 : v.u2, g.p1_outer = p1_outer;
  g.part_folds = part1 || part2;
  // A whole stream holds the outer loop's operand; a chunked one may hold it, or nothing. A chunked stream
  // over one-fold tiles continues each fold; over larger tiles it reloads them.
  g.hold_x1 = held && p1_outer, g.hold_x2 = held && !p1_outer;
  g.reload = st.chunked && (tiles.t1 > g.u1 || tiles.t2 > g.u2);
  g.single_stat = single;
  // The footprint and bytes first: a tile that does not fit (most of them, and every double-buffered one
  // tried again single-buffered) needs no fold chain.
  const Outcome o = evaluate(s, g);
  if (o != Outcome::ok) return o;
  g.array_cycles = g.part_folds ? part_fold_cycles(s, st, g.u1, g.u2, g.reload) : g.reload ? st.reloaded : s.array;
  if (s.p.causal.on()) scale_to_live(live, g);
  if (beyond(s, cut, g)) return Outcome::skipped;
  estimate(s, g);
  return Outcome::ok;
}

// The causal live fraction of tiles t1 x t2 x ts (1 without a mask).
double live_fraction(const Search& s, i64 t1, i64 t2, i64 ts) {
  if (!s.p.causal.on()) return 1.0;
  GemmMapping g;
  g.t1 = t1, g.t2 = t2, g.ts = ts;
  return causal_live_fraction(s.v.dataflow, g, role_sizes(s.v.dataflow, s.p), s.p.causal);
}

// Calls visit(g) for every mapping that fits and that the cutoff (which visit may lower) keeps, in the
// search order: stream chunks from the whole stream down, then P1 tiles, P2 tiles, loop order, hold.
template <class Visit>
void enumerate(const Search& s, const Cutoff& cut, Visit&& visit) {
  const View& v = s.v;
  const std::vector<i64> t1s = spatial_sizes(v.p1, s.arch.systolic.rows, v.pack1),
                         t2s = spatial_sizes(v.p2, s.arch.systolic.cols, 1);
  // A chunk streams at least R/4 cycles when any such whole-fold mapping fits, R/4 being the rows of the
  // smallest array whose part-array folds this one keeps (rows >> kSubFoldLevels). With R as the floor,
  // BERT-base's FFN on 4 cores of 64 x 128 at 64 KiB lost the 32-row array's 48-element K chunks and ran
  // 31 % slower. The floor still grows with the rows, so a taller array does not keep the chunks between its
  // floor and a shorter array's; with no floor the estimate, which charges a chunk's first load in full,
  // ranks tiny chunks first and crowds the candidates the op timer runs (40x24x70 INT4 on edge_npu: 575
  // cycles instead of 421). Shorter chunks only add commands (and, reloaded, array cycles), so they are the
  // fallback of a scratchpad too small for anything else; under a causal mask they also skip more masked
  // blocks. Part-array folds do not end the search: they cost array time that a whole fold of a shorter
  // chunk does not (SCALE-Sim's AlexNet Conv1, WS 32x32, 2 KB buffers: 112,283 cycles, not 449,135); with
  // ideal memory neither do folds reloaded per chunk, for the same reason (2 KB of ofmap, 64 KB of the rest).
  const int floor_rows = std::max(1, s.arch.systolic.rows >> kSubFoldLevels);
  const i64 floor_slots = std::min<i64>(v.slots, floor_rows);
  bool found = false;
  GemmMapping g;
  for (i64 ts : stream_sizes(v.s, v.s_align)) {
    const Stream st = stream_of(s, ts);
    if (st.chunked && slots_between(v, 0, ts) < floor_slots && found) break;
    for (i64 t1 : t1s) {
      const i64 n1 = ceil_div(v.p1, t1);
      for (i64 t2 : t2s) {
        const Tiles tiles{t1, n1, t2, ceil_div(v.p2, t2)};
        const double live = live_fraction(s, t1, t2, ts);
        bool any_fits = false;
        for (bool p1_outer : {true, false})
          for (int hold = 0; hold < (st.chunked ? 2 : 1); ++hold)
            // The stationary tile single-buffered only where double buffering does not fit.
            for (bool single : {false, true}) {
              const Outcome o = candidate(s, st, tiles, p1_outer, !st.chunked || hold == 1, single, live, cut, g);
              any_fits = any_fits || o != Outcome::too_big;
              const bool fitted = o == Outcome::ok || o == Outcome::skipped;
              found = found || (fitted && !g.part_folds && !(s.ideal && g.reload));
              if (o == Outcome::ok) visit(g);
              if (o != Outcome::too_big) break;
            }
        // Every tile grows with t2 (OS outputs switch to acc bits once, where a P2 tile first reloads):
        // when none fits, no larger t2 does.
        const bool reload_settled = !st.chunked || t1 > v.u1 || t2 > v.u2;
        if (!any_fits && reload_settled) break;
      }
    }
  }
}
}  // namespace

DimRoles roles_of(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::os: return {GemmDim::m, GemmDim::n, GemmDim::k};
    case Dataflow::ws: return {GemmDim::k, GemmDim::n, GemmDim::m};
    case Dataflow::is: return {GemmDim::k, GemmDim::m, GemmDim::n};
  }
  return {GemmDim::m, GemmDim::n, GemmDim::k};
}

GemmOperand operand_of(Dataflow dataflow, Tensor t) {
  switch (dataflow) {
    case Dataflow::os: return t == Tensor::x1 ? GemmOperand::a : t == Tensor::x2 ? GemmOperand::b : GemmOperand::c;
    case Dataflow::ws: return t == Tensor::x1 ? GemmOperand::a : t == Tensor::stat ? GemmOperand::b : GemmOperand::c;
    case Dataflow::is: return t == Tensor::stat ? GemmOperand::a : t == Tensor::x1 ? GemmOperand::b : GemmOperand::c;
  }
  return GemmOperand::c;
}

std::int64_t dim_size(const GemmProblem& p, GemmDim d) { return d == GemmDim::m ? p.m : d == GemmDim::n ? p.n : p.k; }

std::vector<GemmMapping> all_gemm_mappings(const ArchSpec& arch, const GemmProblem& p, double bw) {
  std::vector<GemmMapping> out;
  enumerate(search_of(arch, p, bw), Cutoff{}, [&](const GemmMapping& g) { out.push_back(g); });
  return out;
}

namespace {
// The choice of one search: fed every candidate of an enumeration (the cutoff it keeps lowers the
// enumeration's), then costed in full under `costed`.
class Choice {
 public:
  explicit Choice(const Search& s) : m_ideal(s.ideal) { m_pools[0].all.reserve(256); }

  // Among the candidates within 4 % of the fastest estimate, the lowest byte cost wins (DRAM bytes weigh
  // kDramWeight global-buffer bytes), then fewer loads, then the faster estimate: a few percent of pipeline
  // fill is not worth re-reading operands or many tiny tiles. The estimate charges a tile's first load in
  // full, which tiny chunks game; 4 % simulated best on the shipped archs (BERT-base on
  // catransformers_baseline: 6.36 M cycles at 1 %, 4.45 M at 4 %). A larger scratchpad only adds candidates,
  // so the chosen estimate never grows by more than the slack.
  // The slack depends on the fastest of all. The fastest so far only falls, so a candidate beyond it plus
  // its slack never returns into the choice: it is passed over (before the estimate's divisions when a
  // bound shows it) or dropped. The others are kept in brief (what the rank reads and where they lie in the
  // space), and the winner is costed again in full.
  // Part-array folds only add array time: they are ranked apart, by the same rule (and within the whole-fold
  // mappings' slack too), and the best of them replaces the best whole-fold mapping only where it runs
  // faster in steady state (a smaller array's schedule that keeps its partial sums on chip, say) or no
  // whole-fold mapping fits. Neither the slack nor the smaller first load of a smaller tile may trade a
  // larger array's fill and drain for bytes. With ideal memory only time counts: no slack, so the array time
  // is exactly the PE-level time of a continued fold chain, as SCALE-Sim's CALC mode reports it.
  void feed(const GemmMapping& g) {
    Pool& pool = m_pools[g.part_folds ? 1 : 0];
    if (g.estimate < pool.fastest)
      pool.fastest = g.estimate, pool.within = pool.fastest + (m_ideal ? 0 : pool.fastest / 25);
    if (g.estimate > std::min(pool.within, m_pools[0].within)) return;
    pool.all.push_back({g.estimate, g.steady, g.traffic.cost(), g.loads, g.t1, g.t2, g.ts, g.p1_outer,
                        g.hold_x1 || g.hold_x2, g.single_stat});
  }
  // The estimate beyond which no candidate can be chosen any more (a part-array candidate must also be within
  // the whole-fold pool's slack once that pool has any).
  u64 cutoff() const { return m_pools[0].within; }

  std::optional<GemmMapping> result(const Search& s, const Search& costed) const {
    auto rank = [](const Scored& c) { return std::make_tuple(c.cost, c.loads, c.estimate); };
    auto best_of = [&](const Pool& pool) {
      const Scored* best = nullptr;
      for (const Scored& c : pool.all)
        if (c.estimate <= std::min(pool.within, m_pools[0].within) && (!best || rank(c) < rank(*best))) best = &c;
      return best;
    };
    const Scored *whole = best_of(m_pools[0]), *part = best_of(m_pools[1]);
    const Scored* best = !whole || (part && part->steady < whole->steady) ? part : whole;
    if (!best) return std::nullopt;
    const Stream st = stream_of(costed, best->ts);
    const Tiles tiles{best->t1, ceil_div(s.v.p1, best->t1), best->t2, ceil_div(s.v.p2, best->t2)};
    const double live = live_fraction(costed, best->t1, best->t2, best->ts);
    GemmMapping g;
    candidate(costed, st, tiles, best->p1_outer, best->held, best->single, live, Cutoff{}, g);
    return g;
  }

 private:
  struct Scored {
    u64 estimate, steady, cost, loads;
    i64 t1, t2, ts;
    bool p1_outer, held, single;
  };
  struct Pool {
    u64 fastest = ~u64{0}, within = ~u64{0};
    std::vector<Scored> all;
  };
  bool m_ideal;
  Pool m_pools[2];  // whole folds, part-array folds
};

std::optional<GemmMapping> choose_in(const Search& s, const Search& costed) {
  Choice choice(s);
  Cutoff cut{~u64{0}, 1.0 / s.bw, 0.5 / s.bw};
  enumerate(s, cut, [&](const GemmMapping& g) {
    choice.feed(g);
    cut.within = choice.cutoff();
  });
  return choice.result(s, costed);
}
}  // namespace

std::optional<GemmMapping> choose_gemm_mapping(const ArchSpec& arch, const GemmProblem& p, double bw) {
  const Search s = search_of(arch, p, bw);
  std::optional<GemmMapping> best = choose_in(s, s);
  if (!s.ideal || !best) return best;
  // Under ideal memory every mapping of the least array time runs the op alone equally fast, and bytes cost
  // nothing; the one a timed memory would pick keeps the timed program's tiles, so its first outputs reach
  // the next op no later: free memory is never slower than timed memory through a different tiling.
  Search timed = s;
  timed.ideal = false;
  std::optional<GemmMapping> same = choose_in(timed, s);
  return same && same->array_cycles == best->array_cycles ? same : best;
}

std::vector<GemmMapping> ranked_gemm_mappings(const ArchSpec& arch, const GemmProblem& p, double bw, int n) {
  std::vector<GemmMapping> out;
  out.reserve(static_cast<std::size_t>(std::max(n, 1)));
  const Search s = search_of(arch, p, bw);
  if (n <= 1 || s.ideal) {
    const std::optional<GemmMapping> chosen = choose_gemm_mapping(arch, p, bw);
    if (!chosen) return out;
    out.push_back(*chosen);
    if (n <= 1) return out;
  }
  // The n - 1 fastest estimates besides the choice; once that many are known, a candidate slower than the
  // slowest of them is passed over (before the estimate's divisions where a bound shows it). With timed
  // memory the choice is made in the same pass: the cutoff is the looser of the two, so each sees every
  // candidate it would see alone.
  std::vector<GemmMapping> fastest;
  const auto by_estimate = [](const GemmMapping& a, const GemmMapping& b) {
    return std::make_tuple(a.estimate, a.traffic.cost()) < std::make_tuple(b.estimate, b.traffic.cost());
  };
  Cutoff cut{~u64{0}, 1.0 / s.bw, 0.5 / s.bw};
  const auto keep = static_cast<std::size_t>(n);  // one more than needed: the choice may be among them
  fastest.reserve(keep + 1);
  std::optional<Choice> choice;
  if (out.empty()) choice.emplace(s);
  enumerate(s, cut, [&](const GemmMapping& g) {
    if (choice) choice->feed(g);
    if (fastest.size() < keep || by_estimate(g, fastest.back())) {
      fastest.insert(std::upper_bound(fastest.begin(), fastest.end(), g, by_estimate), g);
      if (fastest.size() > keep) fastest.pop_back();
    }
    const u64 ranked = fastest.size() == keep ? fastest.back().estimate : ~u64{0};
    cut.within = choice ? std::max(ranked, choice->cutoff()) : ranked;
  });
  if (choice) {
    const std::optional<GemmMapping> chosen = choice->result(s, s);
    if (!chosen) return out;
    out.push_back(*chosen);
  }
  for (const GemmMapping& g : fastest)
    if (static_cast<int>(out.size()) < n && !(g == out.front())) out.push_back(g);
  return out;
}

GemmFootprint min_gemm_footprint(const ArchSpec& arch, const GemmProblem& p) {
  const View v = view_of(arch, p);
  const i64 t1 = spatial_sizes(v.p1, arch.systolic.rows, v.pack1).front();
  const i64 t2 = spatial_sizes(v.p2, arch.systolic.cols, 1).front(), ts = v.s_align;
  const bool partial = v.out_is_x2 && ceil_div(v.p1, t1) > 1;
  const u64 tile[3] = {bytes(v.prec[0], t1, t2), 2 * bytes(v.prec[1], t1, ts),
                       2 * (partial ? acc_bytes(p, t2, ts) : bytes(v.prec[2], t2, ts))};
  GemmFootprint f;
  for (Tensor t : {Tensor::stat, Tensor::x1, Tensor::x2}) {
    const u64 b = tile[static_cast<int>(t)];
    switch (operand_of(v.dataflow, t)) {
      case GemmOperand::a: f.a += b; break;
      case GemmOperand::b: f.b += b; break;
      case GemmOperand::c: f.c += b; break;
    }
  }
  return f;
}

}  // namespace catsim

namespace catsim {

RoleSizes role_sizes(Dataflow dataflow, const GemmProblem& p) {
  const DimRoles r = roles_of(dataflow);
  return {dim_size(p, r.p1), dim_size(p, r.p2), dim_size(p, r.s)};
}

}  // namespace catsim
