#include "sim/compile/program_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <new>

#include "arch/config/error.h"
#include "arch/int_math.h"
#include "sim/compile/compiler.h"
#include "sim/vector/vector_cost.h"
#include "workloads/parameters.h"

namespace catsim {

using i64 = std::int64_t;
using u64 = std::uint64_t;

ProgramBuilder::ProgramBuilder(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph)
    : ProgramBuilder(arch, model, graph, static_cast<int>(graph.ops.size())) {
  m_consumers.assign(graph.ops.size(), 0);
  m_feeds_cache.assign(graph.ops.size(), false);
  for (std::size_t i = 0; i < graph.ops.size(); ++i)
    for (int d : graph.ops[i].deps) {
      m_consumers[d]++;
      if (graph.ops[i].kind == OpKind::kv_write) m_feeds_cache[d] = true;
    }
  for (std::size_t i = 0; i < graph.ops.size(); ++i)
    m_prog.ops[i].output_in_global_buffer = keeps_output_on_chip(static_cast<int>(i));
}

ProgramBuilder ProgramBuilder::for_op_alone(const ProgramBuilder& context, int ops) {
  ProgramBuilder b(context.m_arch, context.m_model, context.m_graph, context.m_op + ops);
  b.m_op = context.m_op;
  b.m_consumers = context.m_consumers;
  b.m_feeds_cache = context.m_feeds_cache;
  for (std::size_t i = 0; i < b.m_prog.ops.size(); ++i)
    b.m_prog.ops[i].output_in_global_buffer = context.m_prog.ops[i].output_in_global_buffer;
  for (int i = b.m_op; i < b.m_op + ops; ++i)
    b.m_rows[static_cast<std::size_t>(i)] = RowIndex(output_rows(context.m_graph.ops[static_cast<std::size_t>(i)]));
  return b;
}

ProgramBuilder::ProgramBuilder(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph, int ops)
    : m_arch(arch), m_model(model), m_graph(graph) {
  m_prog.cores = arch.cores;
  m_prog.ops.resize(static_cast<std::size_t>(ops));
  m_done.resize(static_cast<std::size_t>(ops));
  m_rows.resize(static_cast<std::size_t>(ops));
  m_recent_compute.resize(static_cast<std::size_t>(arch.cores));
  m_recent_store.resize(static_cast<std::size_t>(arch.cores));
}

namespace {
std::string bytes_gib(std::uint64_t bytes) {
  return fmt::format("{} bytes ({:.2f} GiB)", bytes, static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
}
}  // namespace

void ProgramBuilder::check_dram_capacity() const {
  const u64 capacity = static_cast<u64>(m_arch.dram.capacity_gib * 1024.0 * 1024.0 * 1024.0);
  const u64 weights = weight_bytes(m_model);
  if (weights > capacity)
    throw ConfigError(m_arch.where("dram.capacity_gib"), "dram.capacity_gib",
                      fmt::format("model {} needs {} of weights, DRAM holds {}", m_model.name, bytes_gib(weights),
                                  bytes_gib(capacity)));
  if (weights + m_graph.kv_cache_bytes > capacity)
    throw ConfigError(m_arch.where("dram.capacity_gib"), "dram.capacity_gib",
                      fmt::format("KV cache overflow: the cache needs {}, DRAM has {} left after {} of weights",
                                  bytes_gib(m_graph.kv_cache_bytes), bytes_gib(capacity - weights),
                                  bytes_gib(weights)));
}

GemmProblem ProgramBuilder::gemm_problem(const Op& op) const { return gemm_problem_at(op, m_op); }

GemmProblem ProgramBuilder::gemm_problem_at(const Op& op, int index) const {
  const Precision cp = compute_precision(op.a_prec, op.b_prec);
  if (!m_arch.supports(cp)) {
    std::string have;
    for (const auto& [q, r] : m_arch.systolic.macs_per_pe_per_cycle)
      have += (have.empty() ? "" : ", ") + std::string(name_of(q));
    throw ConfigError(m_arch.where("systolic.precisions"), "systolic.precisions",
                      fmt::format("{} does not compute in {} (needed by {}: {} x {}); it supports {}", m_arch.name,
                                  name_of(cp), op.name, name_of(op.a_prec), name_of(op.b_prec), have));
  }
  // GQA: the query heads sharing one K/V are stacked into the rows of one GEMM.
  const i64 instances = op.kind == OpKind::batched_matmul ? op.b_count : 1;
  const i64 stack = op.kind == OpKind::batched_matmul ? op.count / op.b_count : 1;
  GemmProblem p;
  p.m = op.m * stack, p.n = op.n, p.k = op.k, p.instances = instances;
  p.a = op.a_prec, p.b = op.b_prec, p.out = op.out_prec, p.acc_bits = m_model.precision.accumulator_bits();
  p.rate = m_arch.systolic.macs_per_pe_per_cycle.at(cp);
  if (m_feeds_cache[index]) p.out = m_model.precision.kv_cache;  // the projection's store is the cache write
  if (op.causal != CausalKeys::none) p.causal = {op.causal, op.m, op.causal_offset, 0, 0};
  p.a_on_chip = a_source(op) == MemoryTarget::global_buffer;
  p.b_on_chip = b_source(op) == MemoryTarget::global_buffer;
  p.c_on_chip = m_prog.ops[index].output_in_global_buffer;
  p.psum_on_chip = spill_target(p) == MemoryTarget::global_buffer;
  p.staged = stages_inputs(op);
  p.global_bytes_per_cycle = m_arch.sram.global_kib > 0 ? std::max(1, m_arch.sram.global_bytes_per_cycle) : 0;
  return p;
}

int ProgramBuilder::sibling_count(int first) const {
  const std::vector<Op>& ops = m_graph.ops;
  const Op& lead = ops[static_cast<std::size_t>(first)];
  if (!is_matmul(lead.kind) || m_arch.cores == 1) return 1;  // one core runs them one after another anyway
  const GemmProblemKey key = gemm_problem_key(gemm_problem_at(lead, first));
  int last = first;
  while (static_cast<std::size_t>(last + 1) < ops.size()) {
    const Op& next = ops[static_cast<std::size_t>(last + 1)];
    const bool reads_group = std::any_of(next.deps.begin(), next.deps.end(), [&](int d) { return d >= first; });
    if (!is_matmul(next.kind) || reads_group || gemm_problem_key(gemm_problem_at(next, last + 1)) != key) break;
    ++last;
  }
  return last - first + 1;
}

int ProgramBuilder::sibling_group() {
  if (m_op >= m_group_end) {
    m_group_size = sibling_count(m_op);
    m_group_end = m_op + m_group_size;
  }
  return m_group_size;
}

void ProgramBuilder::throw_no_fit(const Op& op, const GemmProblem& p) const {
  const GemmFootprint need = min_gemm_footprint(m_arch, p);
  const std::string what = fmt::format("{} ({}) cannot fit its smallest tile (a part-array fold single-buffered, "
                                       "one stream element double-buffered)", op.name, op.shape());
  const auto& s = m_arch.sram;
  if (s.ifmap_kib && s.weight_kib && s.ofmap_kib) {
    // SCALE-Sim's split buffers: name the first that is too small.
    const std::pair<const char*, double> has[3] = {
        {"sram.ifmap_kib", *s.ifmap_kib * 1024}, {"sram.weight_kib", *s.weight_kib * 1024}, {"sram.ofmap_kib", *s.ofmap_kib * 1024}};
    const u64 needs[3] = {need.a, need.b, need.c};
    int short_one = 0;
    while (short_one < 2 && static_cast<double>(needs[short_one]) <= has[short_one].second) ++short_one;
    throw ConfigError(m_arch.where(has[short_one].first), has[short_one].first,
                      fmt::format("{}: needs {} bytes of ifmap, {} of weight and {} of ofmap buffer; they have {}, {} and {}",
                                  what, need.a, need.b, need.c, static_cast<u64>(has[0].second),
                                  static_cast<u64>(has[1].second), static_cast<u64>(has[2].second)));
  }
  throw ConfigError(m_arch.where("sram.kib"), "sram.kib",
                    fmt::format("{}: needs {} bytes, the scratchpad has {} bytes", what, need.total(),
                                static_cast<u64>(s.kib * 1024)));
}

std::string ProgramBuilder::describe(const GemmSplit& split) const {
  // The first share with work, and how many have some (a grid over a dimension of fewer folds than parts
  // leaves some shares empty).
  std::size_t first = 0;
  while (first + 1 < split.shares.size() && split.shares[first].empty()) ++first;
  const auto working =
      std::count_if(split.shares.begin(), split.shares.end(), [](const GemmShare& s) { return !s.empty(); });
  const GemmMapping& g = split.mappings[first];
  const std::string axis = split.axis == SplitAxis::instances ? "instances"
                           : split.axis == SplitAxis::m     ? "M"
                           : split.axis == SplitAxis::n     ? "N"
                           : split.axis == SplitAxis::k     ? "K"
                                                            : fmt::format("{}x{} of MxN", split.m_parts, split.n_parts);
  const char* held = g.hold_x1 ? ", X1 held" : g.hold_x2 ? ", X2 held" : "";
  const char* reload = g.reload ? ", folds reloaded per chunk" : "";
  const char* single = g.single_stat ? ", stationary tile single-buffered" : "";
  const char* psum = g.spills(m_arch.systolic.dataflow) ? ", partial sums spilled" : "";
  const std::string reduce =
      split.axis != SplitAxis::k ? ""
      : partials_on_chip(m_arch, m_prog.ops[m_op].gemm, split.used) ? ", partial sums reduced through the global buffer"
                                                                     : ", partial sums reduced through DRAM";
  return fmt::format("tile {}x{}x{} (P1xP2xS, {} outer{}{}{}{}), {} over {} of {} core(s){}", g.t1, g.t2, g.ts,
                     g.p1_outer ? "P1" : "P2", held, reload, single, psum, axis, working, m_arch.cores, reduce);
}

void ProgramBuilder::note_skipped_tiles() {
  OpPlan& plan = this->plan();
  if (plan.skipped_tiles > 0)
    plan.note += fmt::format(", {} of {} tile steps skipped (causal mask)", plan.skipped_tiles,
                             plan.skipped_tiles + plan.tiles);
}

u64 ProgramBuilder::compulsory_bytes(const Op& op) const {
  u64 b = 0;
  if (a_source(op) == MemoryTarget::dram) b += op.a_bytes;
  if (b_source(op) == MemoryTarget::dram) b += op.b_bytes;
  if (output_target() == MemoryTarget::dram) b += op.out_bytes;
  return b;
}

std::vector<ProgramBuilder::ReductionShare> ProgramBuilder::reduction_shares(const GemmProblem& p, int parts,
                                                                             int first_core) const {
  const u64 acc = u64(p.acc_bits) / 8, capacity = static_cast<u64>(m_arch.sram.kib * 1024);
  const bool by_rows = p.m >= parts;
  std::vector<ReductionShare> out;
  for (int j = 0; j < parts; ++j) {
    ReductionShare s{(first_core + j) % m_arch.cores, 0, 0, 0, 0, 0, 0};
    s.r0 = by_rows ? p.m * j / parts : 0, s.r1 = by_rows ? p.m * (j + 1) / parts : p.m;
    s.c0 = by_rows ? 0 : p.n * j / parts, s.c1 = by_rows ? p.n : p.n * (j + 1) / parts;
    if (s.r0 == s.r1 || s.c0 == s.c1) continue;
    // Bytes per element in the scratchpad: every part's partial sum in, the sum out (int4 rounded up).
    const u64 per_element = u64(parts) * acc + std::max<u64>(1, element_bytes(p.out, 1));
    s.width = std::min<i64>(s.c1 - s.c0, static_cast<i64>(capacity / (2 * per_element)));
    if (s.width == 0)
      throw ConfigError(m_arch.where("sram.kib"), "sram.kib",
                        fmt::format("{}: the scratchpad cannot hold {} partial sums of one element double-buffered",
                                    m_graph.ops[m_op].name, parts));
    const i64 rows_fit = s.width < s.c1 - s.c0 ? 1 : static_cast<i64>(capacity / (2 * per_element * u64(s.width)));
    s.chunk_rows = std::max<i64>(1, std::min(rows_fit, ceil_div(s.r1 - s.r0, 4)));
    out.push_back(s);
  }
  return out;
}

u64 ProgramBuilder::count_reduction_chunk(const GemmProblem& p, int parts, u64 elements, u64 times) {
  OpPlan& plan = this->plan();
  const u64 in_bytes = elements * (u64(p.acc_bits) / 8), out_bytes = element_bytes(p.out, elements);
  const VectorPass add{"add", elements * u64(parts - 1)};
  plan.vector_ops[kind_of(add)] += add.elements * times;
  plan.sram.vector_write += (in_bytes * u64(parts) + out_bytes) * times;  // DMA writes in, results out
  plan.sram.vector_read += (in_bytes * u64(parts) + out_bytes) * times;   // the adds read, the store reads
  plan.tiles += times;
  return vector_cycles(m_arch.vector, {add});
}

ProgramBuilder::VectorLayout ProgramBuilder::vector_layout(const Op& op) {
  VectorLayout l{};
  const u64 capacity = static_cast<u64>(m_arch.sram.kib * 1024);
  // Elements written per row: as many as read, except for a reduction.
  auto written = [&](i64 cols) { return u64(op.out_cols > 0 ? op.out_cols : cols); };
  auto per_row = [&](i64 cols) {  // double-buffered bytes of one row of `cols` elements
    return 2 * (element_bytes(op.a_prec, u64(cols)) * u64(op.inputs) + element_bytes(op.out_prec, written(cols)));
  };
  // An element-wise op cuts a row that does not fit into the fewest equal pieces that do; a row reduction
  // (softmax, norms) needs its whole row.
  const bool elementwise = op.kind == OpKind::add || op.kind == OpKind::mul || op.kind == OpKind::div ||
                           op.kind == OpKind::activation || op.kind == OpKind::scale_shift;
  if (per_row(op.n) > capacity && elementwise)
    for (l.pieces = static_cast<i64>(std::min<u64>(ceil_div(per_row(op.n), std::max<u64>(capacity, 1)), u64(op.n)));
         l.pieces < op.n; ++l.pieces)
      if (op.n % l.pieces == 0 && per_row(op.n / l.pieces) <= capacity) break;
  l.cols = op.n / l.pieces;
  if (per_row(l.cols) > capacity)
    throw ConfigError(m_arch.where("sram.kib"), "sram.kib",
                      fmt::format("{} ({}) cannot fit one {}: needs {} bytes double-buffered, the scratchpad has {}",
                                  op.name, op.shape(), elementwise ? "element" : "row", per_row(l.cols), capacity));
  l.row_in = element_bytes(op.a_prec, u64(l.cols)) * u64(op.inputs);
  l.row_out = element_bytes(op.out_prec, written(l.cols));
  l.rows = op.count * op.m * l.pieces, l.share = ceil_div(op.count * op.m, i64{m_arch.cores}) * l.pieces;
  const i64 fit = static_cast<i64>(capacity / per_row(l.cols));
  // Chunks are chosen for timed memory even when it is ideal: the same chunks then run no slower with free
  // transfers, and their overlap with the neighbouring ops is kept (one chunk per core, the choice for free
  // memory alone, made `datacenter` ViT-B/16 6 % slower with ideal than with timed DRAM).
  const double bw = m_arch.dram_bytes_per_cycle() / m_arch.cores;
  const double latency = m_arch.dram_latency_cycles();
  const u64 row_bytes = l.row_in + l.row_out;
  l.chunk = std::min(l.share, fit);
  double best_time = -1;
  for (i64 chunks = ceil_div(l.share, l.chunk);; chunks *= 2) {
    const i64 chunk = ceil_div(l.share, chunks);
    const double vec = static_cast<double>(vector_cycles(m_arch.vector, vector_passes(op, u64(chunk), u64(l.cols))));
    const double mem = static_cast<double>(row_bytes) * static_cast<double>(chunk) / bw + latency;
    const double time = static_cast<double>(chunks) * std::max(vec, mem) + std::min(vec, mem) + mem;
    if (best_time < 0 || time < best_time) l.chunk = chunk, best_time = time;
    if (chunk == 1) break;
  }
  plan().note = l.pieces == 1 ? fmt::format("{} row(s) per core in chunks of {}", l.share, l.chunk)
                              : fmt::format("rows cut into {} pieces of {}; {} piece(s) per core in chunks of {}",
                                            l.pieces, l.cols, l.share, l.chunk);
  plan().compulsory_dram_bytes = (source_of_all(op) == MemoryTarget::dram ? op.a_bytes : 0) +
                                 (output_target() == MemoryTarget::dram ? op.out_bytes : 0);
  return l;
}

u64 ProgramBuilder::count_vector_chunk(const Op& op, const VectorLayout& l, i64 rows, u64 times) {
  OpPlan& plan = this->plan();
  const std::vector<VectorPass> passes = vector_passes(op, u64(rows), u64(l.cols));
  for (const VectorPass& pass : passes) {
    plan.vector_ops[kind_of(pass)] += pass.elements * times;
    plan.sram.vector_read += element_bytes(op.a_prec, pass.elements) * times;
  }
  plan.sram.vector_write += (l.row_in + l.row_out) * u64(rows) * times;  // the load in, the result
  plan.sram.vector_read += l.row_out * u64(rows) * times;                 // the store
  plan.tiles += times;
  return vector_cycles(m_arch.vector, passes);
}

std::vector<ProgramBuilder::GatherShare> ProgramBuilder::plan_transfer(const Op& op) {
  OpPlan& plan = this->plan();
  if (op.kind != OpKind::embedding) {
    plan.note = op.kind == OpKind::kv_write ? "bytes moved by the K/V projections' stores"
                                            : "bytes moved by attn.qk / attn.av operand loads";
    return {};
  }
  plan.note = "gather of embedding rows";
  std::vector<GatherShare> out;
  for (int core = 0; core < m_arch.cores; ++core) {
    const i64 begin = op.m * core / m_arch.cores, end = op.m * (core + 1) / m_arch.cores;
    if (begin == end) continue;
    const u64 rows = u64(end - begin);
    out.push_back({core, begin, end, op.b_bytes / u64(op.m) * rows, op.out_bytes / u64(op.m) * rows});
    plan.sram.ifmap_write += out.back().in_bytes;
    plan.sram.ofmap_read += out.back().out_bytes;
  }
  plan.compulsory_dram_bytes = op.b_bytes + (output_target() == MemoryTarget::dram ? op.out_bytes : 0);
  return out;
}

void ProgramBuilder::check_program_size(const Op& op, u64 upcoming) const {
  if (upcoming <= kMaxCommands && m_prog.commands.size() + upcoming <= kMaxCommands) return;
  throw ConfigError(m_arch.where("sram.kib"), "sram.kib",
                    fmt::format("the program exceeds {} tile commands at {} ({}): the scratchpad or the array is "
                                "too small for this model (expected larger sram.kib or systolic rows/cols)",
                                kMaxCommands, op.name, op.shape()));
}

void ProgramBuilder::check_matmul_size(const Op& op, const GemmProblem& p, const GemmSplit& split) const {
  check_program_size(op, matmul_command_bound(p, split));
}

bool ProgramBuilder::keeps_output_on_chip(int index) const {
  const Op& op = m_graph.ops[static_cast<std::size_t>(index)];
  const u64 global = static_cast<u64>(m_arch.sram.global_kib * 1024);
  return global > 0 && !m_feeds_cache[index] && m_consumers[index] > 0 && op.kind != OpKind::kv_read &&
         op.kind != OpKind::kv_write && op.out_bytes <= global / 4;
}

bool ProgramBuilder::stages_inputs(const Op& op) const {
  const u64 global = static_cast<u64>(m_arch.sram.global_kib * 1024);
  u64 from_dram = 0;
  if (a_source(op) == MemoryTarget::dram) from_dram += op.a_bytes;
  if (b_source(op) == MemoryTarget::dram) from_dram += op.b_bytes;
  const bool dram_is_free = m_arch.dram.model == DramModel::ideal;  // nothing to save
  return !dram_is_free && global > 0 && from_dram > 0 && from_dram <= global / 4 * 3;
}

MemoryTarget ProgramBuilder::source_of(int producer) const {
  return producer >= 0 && m_prog.ops[producer].output_in_global_buffer ? MemoryTarget::global_buffer
                                                                        : MemoryTarget::dram;
}

MemoryTarget ProgramBuilder::source_of_all(const Op& op) const {
  for (int d : op.deps)
    if (source_of(d) == MemoryTarget::dram) return MemoryTarget::dram;
  return op.deps.empty() ? MemoryTarget::dram : MemoryTarget::global_buffer;
}

MemoryTarget ProgramBuilder::output_target() const {
  return m_prog.ops[m_op].output_in_global_buffer ? MemoryTarget::global_buffer : MemoryTarget::dram;
}

CommandDeps ProgramBuilder::producers(const Op& op) const {
  CommandDeps out;
  for (int d : op.deps) out.insert(out.end(), m_done[d].begin(), m_done[d].end());
  return out;
}

CommandId ProgramBuilder::emit(Command c) {
  c.op = m_op;
  if (c.memory == MemoryTarget::global_buffer && is_dma(c.unit)) {
    SramTraffic& t = m_prog.ops[m_op].sram;
    (c.is_store() ? t.global_write : t.global_read) += c.dram_bytes;
  }
  auto& commands = m_prog.commands;
  // Past a huge page of commands, the array's whole bound at once, as address space (huge_page_allocator.h):
  // its pages are backed as commands fill them, and it is never copied into a larger array again (BERT-base's
  // 100,000 commands on four cores touched 30 MiB doubling to 16 MiB). A smaller program stays in a few 4 KiB
  // pages of the heap. Where the system refuses the reservation, the array grows as any vector does.
  if (commands.size() == commands.capacity() && commands.size() * sizeof(Command) >= kHugePageBytes / 2 &&
      commands.capacity() < kMaxCommands) {
    try {
      commands.reserve(kMaxCommands);
    } catch (const std::bad_alloc&) {
    }
  }
  CommandId id = m_prog.add(std::move(c));
  const Command& cmd = m_prog.commands[id];
  m_last[{cmd.core, static_cast<int>(cmd.unit)}] = id;
  if (!is_dma(cmd.unit)) m_recent_compute[cmd.core].push(id);
  else if (cmd.is_store()) m_recent_store[cmd.core].push(id);
  return id;
}

void ProgramBuilder::finish_op() {
  CommandDeps done;
  for (const auto& [key, id] : m_last) done.push_back(id);
  m_done[m_op] = std::move(done);
  m_last.clear();
}

Command ProgramBuilder::dma_command(int core, u64 bytes, bool store, CommandDeps deps, MemoryTarget memory) {
  Command c;
  c.unit = store ? UnitKind::dma_store : UnitKind::dma_load;
  c.core = core;
  c.dram_bytes = bytes;
  c.memory = memory;
  c.deps = std::move(deps);
  return c;
}

CommandId ProgramBuilder::dma(int core, u64 bytes, bool store, CommandDeps deps, MemoryTarget memory) {
  return emit(dma_command(core, bytes, store, std::move(deps), memory));
}

MemoryTarget ProgramBuilder::a_source(const Op& op) const { return source_of(op.deps.empty() ? -1 : op.deps[0]); }

MemoryTarget ProgramBuilder::b_source(const Op& op) const {
  return op.b_is_weight || op.deps.size() < 2 ? MemoryTarget::dram : source_of(op.deps[1]);
}

bool ProgramBuilder::load_operand(SlotRing& ring, const TileKey& key, u64 bytes, int core, const CommandDeps& prod,
                  CommandDeps& deps, MemoryTarget source) {
  if (ring.current().key == key) {
    if (ring.current().last_user) deps.push_back(*ring.current().last_user);
    return false;
  }
  SlotRing::Slot& slot = ring.advance();
  CommandDeps wait = prod;
  if (slot.last_user) wait.push_back(*slot.last_user);
  slot.key = key;
  CommandId id = dma(core, bytes, false, std::move(wait), source);
  slot.last_user = id;
  deps.push_back(id);
  return true;
}

u64 ProgramBuilder::count_array_sram(const GemmProblem& p, GemmShape s, bool starts_fold, bool ends_fold,
                                     bool accumulates) {
  SramTraffic& t = plan().sram;
  const u64 before = t.ifmap_read + t.weight_read + t.ofmap_read + t.ofmap_write;
  FoldPlan f = plan_folds(m_arch.systolic.dataflow, {m_arch.systolic.rows, m_arch.systolic.cols}, s, p.rate);
  const u64 a = element_bytes(p.a, u64(s.m) * u64(s.k)), b = element_bytes(p.b, u64(s.k) * u64(s.n));
  const u64 psum = u64(s.m) * u64(s.n) * u64(p.acc_bits) / 8;
  switch (m_arch.systolic.dataflow) {
    case Dataflow::os:
      t.ifmap_read += a * u64(f.col_folds);
      t.weight_read += b * u64(f.row_folds);
      if (ends_fold) t.ofmap_write += psum;
      if (accumulates) t.ofmap_read += psum;
      break;
    case Dataflow::ws:
    case Dataflow::is: {
      // The stationary operand is read when its fold is placed; a later chunk of a continued fold finds it
      // still in the PEs.
      const bool ws = m_arch.systolic.dataflow == Dataflow::ws;
      if (starts_fold) (ws ? t.weight_read : t.ifmap_read) += ws ? b : a;
      (ws ? t.ifmap_read : t.weight_read) += (ws ? a : b) * u64(f.col_folds);
      t.ofmap_write += psum * u64(f.row_folds);
      t.ofmap_read += psum * u64(f.row_folds - 1 + (accumulates ? 1 : 0));
      break;
    }
  }
  return t.ifmap_read + t.weight_read + t.ofmap_read + t.ofmap_write - before;
}

MemoryTarget ProgramBuilder::spill_target(const GemmProblem& p) const {
  const u64 all = u64(p.instances) * u64(p.m) * u64(p.n) * u64(p.acc_bits) / 8;
  return m_arch.sram.global_kib > 0 && all <= static_cast<u64>(m_arch.sram.global_kib * 1024) / 4
             ? MemoryTarget::global_buffer
             : MemoryTarget::dram;
}

void ProgramBuilder::row_deps(const Op& op, i64 r0, i64 r1, CommandDeps& out) const {
  const std::size_t inputs = is_matmul(op.kind) ? std::min<std::size_t>(1, op.deps.size()) : op.deps.size();
  const i64 q = op.count * op.m;
  for (std::size_t i = 0; i < inputs; ++i) {
    const int d = op.deps[i];
    const RowIndex& idx = m_rows[static_cast<std::size_t>(d)];
    const i64 p = idx.rows();
    const bool single = m_model.workload.batch == 1;
    if (op.reordered_rows) {
      out.insert(out.end(), m_done[static_cast<std::size_t>(d)].begin(), m_done[static_cast<std::size_t>(d)].end());
    } else if (!idx.empty() && p == q) {
      idx.query(r0, r1, out);
    } else if (!idx.empty() && single && q > 0 && p % q == 0) {
      for (i64 j = 0; j < p / q; ++j) idx.query(r0 + j * q, r1 + j * q, out);
    } else if (!idx.empty() && single && p > 0 && q % p == 0 && r1 - r0 < p) {
      const i64 a = r0 % p, b = a + (r1 - r0);
      idx.query(a, std::min(b, p), out);
      if (b > p) idx.query(0, b - p, out);
    } else if (!idx.empty() && single && p > 0 && q % p == 0) {
      idx.query(0, p, out);
    } else {
      out.insert(out.end(), m_done[static_cast<std::size_t>(d)].begin(), m_done[static_cast<std::size_t>(d)].end());
    }
  }
}

i64 ProgramBuilder::output_rows(const Op& op) { return op.kind == OpKind::embedding ? op.m : op.count * op.m; }

OpPlan& ProgramBuilder::plan() { return m_prog.ops[static_cast<std::size_t>(m_op)]; }

}  // namespace catsim
