#include "sim/compile/program_builder.h"

#include <fmt/format.h>

#include <algorithm>

#include "arch/config/error.h"
#include "arch/int_math.h"

namespace catsim {

using i64 = std::int64_t;
using u64 = std::uint64_t;

ProgramBuilder::ProgramBuilder(const ArchSpec& arch, const ModelSpec& model, const OpGraph& graph)
    : m_arch(arch), m_model(model), m_graph(graph) {
  m_prog.cores = arch.cores;
  m_prog.ops.resize(graph.ops.size());
  m_done.resize(graph.ops.size());
  m_rows.resize(graph.ops.size());
  m_consumers.assign(graph.ops.size(), 0);
  m_feeds_cache.assign(graph.ops.size(), false);
  m_recent_compute.resize(static_cast<std::size_t>(arch.cores));
  m_recent_store.resize(static_cast<std::size_t>(arch.cores));
  for (std::size_t i = 0; i < graph.ops.size(); ++i)
    for (int d : graph.ops[i].deps) {
      m_consumers[d]++;
      if (graph.ops[i].kind == OpKind::kv_write) m_feeds_cache[d] = true;
    }
}

void ProgramBuilder::check_program_size(const Op& op, u64 upcoming) const {
  if (m_prog.commands.size() + upcoming <= kMaxCommands) return;
  throw ConfigError(m_arch.where("sram.kib"), "sram.kib",
                    fmt::format("the program exceeds {} tile commands at {} ({}): the scratchpad or the array is "
                                "too small for this model (expected larger sram.kib or systolic rows/cols)",
                                kMaxCommands, op.name, op.shape()));
}

bool ProgramBuilder::keeps_output_on_chip(const Op& op) const {
  const u64 global = static_cast<u64>(m_arch.sram.global_kib * 1024);
  return global > 0 && !m_feeds_cache[m_op] && m_consumers[m_op] > 0 && op.kind != OpKind::kv_read &&
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

std::vector<CommandId> ProgramBuilder::producers(const Op& op) const {
  std::vector<CommandId> out;
  for (int d : op.deps) out.insert(out.end(), m_done[d].begin(), m_done[d].end());
  return out;
}

CommandId ProgramBuilder::emit(Command c) {
  c.op = m_op;
  if (c.memory == MemoryTarget::global_buffer && is_dma(c.unit)) {
    SramTraffic& t = m_prog.ops[m_op].sram;
    (c.is_store() ? t.global_write : t.global_read) += c.dram_bytes;
  }
  CommandId id = m_prog.add(std::move(c));
  const Command& cmd = m_prog.commands[id];
  m_last[{cmd.core, static_cast<int>(cmd.unit)}] = id;
  if (!is_dma(cmd.unit)) m_recent_compute[cmd.core].push(id);
  else if (cmd.is_store()) m_recent_store[cmd.core].push(id);
  return id;
}

void ProgramBuilder::finish_op() {
  std::vector<CommandId> done;
  for (const auto& [key, id] : m_last) done.push_back(id);
  m_done[m_op] = std::move(done);
  m_last.clear();
}

Command ProgramBuilder::dma_command(int core, u64 bytes, bool store, std::vector<CommandId> deps, MemoryTarget memory) {
  Command c;
  c.unit = store ? UnitKind::dma_store : UnitKind::dma_load;
  c.core = core;
  c.dram_bytes = bytes;
  c.memory = memory;
  c.deps = std::move(deps);
  return c;
}

CommandId ProgramBuilder::dma(int core, u64 bytes, bool store, std::vector<CommandId> deps, MemoryTarget memory) {
  return emit(dma_command(core, bytes, store, std::move(deps), memory));
}

MemoryTarget ProgramBuilder::a_source(const Op& op) const { return source_of(op.deps.empty() ? -1 : op.deps[0]); }

MemoryTarget ProgramBuilder::b_source(const Op& op) const {
  return op.b_is_weight || op.deps.size() < 2 ? MemoryTarget::dram : source_of(op.deps[1]);
}

bool ProgramBuilder::load_operand(SlotRing& ring, const TileKey& key, u64 bytes, int core, const std::vector<CommandId>& prod,
                  std::vector<CommandId>& deps, MemoryTarget source) {
  if (ring.current().key == key) {
    if (ring.current().last_user) deps.push_back(*ring.current().last_user);
    return false;
  }
  SlotRing::Slot& slot = ring.advance();
  std::vector<CommandId> wait = prod;
  if (slot.last_user) wait.push_back(*slot.last_user);
  slot.key = key;
  CommandId id = dma(core, bytes, false, std::move(wait), source);
  slot.last_user = id;
  deps.push_back(id);
  return true;
}

u64 ProgramBuilder::count_array_sram(const GemmProblem& p, GemmShape s, bool ends_fold, bool accumulates) {
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
      const bool ws = m_arch.systolic.dataflow == Dataflow::ws;
      (ws ? t.weight_read : t.ifmap_read) += ws ? b : a;
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

void ProgramBuilder::row_deps(const Op& op, i64 r0, i64 r1, std::vector<CommandId>& out) const {
  const std::size_t inputs = is_matmul(op.kind) ? std::min<std::size_t>(1, op.deps.size()) : op.deps.size();
  const i64 q = op.count * op.m;
  for (std::size_t i = 0; i < inputs; ++i) {
    const int d = op.deps[i];
    const RowIndex& idx = m_rows[static_cast<std::size_t>(d)];
    const i64 p = idx.rows();
    const bool single = m_model.workload.batch == 1;
    if (!idx.empty() && p == q) {
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
