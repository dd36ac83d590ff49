#include "sim/memory/fluid_flows.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "arch/config/error.h"

namespace catsim {
namespace {

constexpr double kEmpty = 1e-6;  // bytes (or tokens) below this count as none

std::vector<double> capacities(const ArchSpec& arch, int cores, const MemoryChannels& dram,
                               const MemoryChannels* global) {
  std::vector<double> c(static_cast<std::size_t>(dram.params().channels) + 1, dram.channel_bytes_per_cycle());
  if (global) c.insert(c.end(), 2, global->params().bytes_per_cycle);
  c.insert(c.end(), static_cast<std::size_t>(cores), static_cast<double>(arch.sram.bytes_per_cycle));
  return c;
}

}  // namespace

FluidFlows::FluidFlows(const ArchSpec& arch, int cores, MemoryChannels& dram, MemoryChannels* global)
    : m_dram(dram),
      m_global(global),
      m_outstanding(arch.dma.outstanding),
      m_burst_bytes(arch.dram.burst_bytes),
      m_global_resource(dram.params().channels + 1),
      m_port_resource(dram.params().channels + 1 + (global ? 2 : 0)),
      m_port_bytes_per_cycle(arch.sram.bytes_per_cycle),
      m_solver(capacities(arch, cores, dram, global)),
      m_channel_peak(dram.channel_bytes_per_cycle()) {
  if (arch.dram.model != DramModel::banked) return;
  if (!arch.dram.part || !arch.dram.mixes)
    throw ConfigError({arch.source_file, 0, 0}, "dram.model",
                      "banked, but the arch's DRAM part was not looked up (call resolve_dram_part before a run)");
  m_profile.emplace(*arch.dram.part, *arch.dram.mixes, DramPolicy{{arch.dram.mapping, 1}, arch.dram.open_page});
}

int FluidFlows::add_requester(int core) {
  const int id = static_cast<int>(m_requester_core.size());
  m_requester_core.push_back(core);
  for (const MemoryChannels* m : {&m_dram, m_global}) {
    Window w;
    if (m) {
      const double burst = m_burst_bytes, latency = static_cast<double>(m->params().latency_cycles);
      w.rate = m_outstanding * burst / (latency + burst / m->channel_bytes_per_cycle());
      w.depth = w.tokens = w.rate * latency;
    }
    m_windows.push_back(w);
  }
  return id;
}

void FluidFlows::start(std::uint64_t now, int requester, MemoryChannels& memory, std::uint64_t bytes, bool write,
                       int tag) {
  advance(now);
  finish_done();  // transfers ending now, before the pending update() runs
  if (m_active == m_transfers.size()) m_transfers.emplace_back();
  Transfer& t = m_transfers[m_active++];
  t.requester = requester;
  t.memory = &memory == &m_dram ? 0 : 1;
  t.tag = tag;
  t.write = write;
  t.uses.clear();
  t.channel_uses.clear();
  const int first = t.memory == 0 ? 0 : m_global_resource;
  const double busiest =
      memory.split(requester, bytes, first, first + memory.params().channels, t.uses, t.spans_all);
  if (!t.spans_all) ++m_short_dram;
  // Banked: the transfer opens a row on every channel it touches; the mix's rate counts the rows after that.
  if (m_profile && t.memory == 0) {
    m_dram_activates += t.spans_all ? memory.params().channels : static_cast<double>(t.uses.size());
    m_dram_touched = true;
  }
  t.remaining = busiest;
  t.bytes_per_unit = static_cast<double>(bytes) / busiest;
  t.uses.push_back(
      {m_port_resource + m_requester_core[static_cast<std::size_t>(requester)], t.bytes_per_unit});
  Window& w = window(t);  // refill what the window regained while the engine was idle
  w.tokens = std::min(w.depth, w.tokens + w.rate * static_cast<double>(now - w.updated));
  w.updated = now;
  // Active transfers stay in requester order (an engine has one at a time), so that the shares and the
  // order transfers end in do not depend on which engine started first within a cycle.
  for (std::size_t i = m_active - 1; i > 0 && m_transfers[i - 1].requester > m_transfers[i].requester; --i)
    std::swap(m_transfers[i - 1], m_transfers[i]);
  solve_and_schedule(now);
}

void FluidFlows::set_array_rate(std::uint64_t now, int core, double bytes_per_cycle) {
  advance(now);
  finish_done();
  const int port = m_port_resource + core;
  m_solver.set_capacity(port, std::max(0.0, m_port_bytes_per_cycle - bytes_per_cycle));
  solve_and_schedule(now);
}

void FluidFlows::update(std::uint64_t now) {
  advance(now);
  finish_done();
  solve_and_schedule(now);
}

void FluidFlows::advance(std::uint64_t now) {
  if (now <= m_time) return;
  const auto dt = static_cast<double>(now - m_time);
  m_dram_open_cycles += dt * m_open_rate;
  double dram_bytes = 0;
  for (std::size_t i = 0; i < m_active; ++i) {
    Transfer& t = m_transfers[i];
    Window& w = window(t);
    // Above the window's rate the tokens drain; once empty (the event lands on the next whole cycle) the
    // transfer continues at the window's rate, so whole-cycle events never grant bytes beyond the window.
    const double rate = m_rates[i] * t.bytes_per_unit;
    double bytes = rate * dt;
    if (rate > w.rate && w.tokens < (rate - w.rate) * dt) {
      const double drained = w.tokens / (rate - w.rate);
      bytes = rate * drained + w.rate * (dt - drained);
    }
    w.tokens = std::clamp(w.tokens + w.rate * dt - bytes, 0.0, w.depth);
    w.updated = now;
    const double served = std::min(t.remaining, bytes / t.bytes_per_unit);
    t.remaining -= served;
    if (t.memory == 0) dram_bytes += served * t.bytes_per_unit;
  }
  m_dram_activates += dram_bytes * m_activates_per_byte;
  if (dram_bytes > 0) {
    ServiceSegment* last = m_dram_service.empty() ? nullptr : &m_dram_service.back();
    const double rate = dram_bytes / dt;
    if (last && last->end == m_time &&
        std::abs(last->bytes / static_cast<double>(last->end - last->start) - rate) <= 1e-12 * rate)
      last->end = now, last->bytes += dram_bytes;
    else
      m_dram_service.push_back({m_time, now, dram_bytes});
  }
  m_time = now;
}

void FluidFlows::finish_done() {
  for (std::size_t i = 0; i < m_active;) {
    Transfer& t = m_transfers[i];
    if (t.remaining > kEmpty) {
      ++i;
      continue;
    }
    m_finished.push_back(t.tag);
    if (!t.spans_all) --m_short_dram;
    std::rotate(m_transfers.begin() + static_cast<std::ptrdiff_t>(i), m_transfers.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                m_transfers.begin() + static_cast<std::ptrdiff_t>(m_active));
    --m_active;
  }
}

const std::vector<ResourceUse>& FluidFlows::uses_now(Transfer& t) {
  // While a short DRAM transfer loads some channels more than others, every DRAM transfer's load is
  // given channel by channel; otherwise all channels carry the same load and one of them stands for all.
  if (t.memory != 0 || !t.spans_all || m_short_dram == 0) return t.uses;
  if (t.channel_uses.empty()) {
    for (int ch = 0; ch < m_dram.params().channels; ++ch) t.channel_uses.push_back({ch, 1.0});
    t.channel_uses.push_back(t.uses.back());  // the port
  }
  return t.channel_uses;
}

void FluidFlows::solve_and_schedule(std::uint64_t now) {
  if (m_profile) {
    int reads = 0, writes = 0;
    for (std::size_t i = 0; i < m_active; ++i)
      if (m_transfers[i].memory == 0) ++(m_transfers[i].write ? writes : reads);
    const StreamMix& mix = m_profile->mix(reads, writes);
    for (int ch = 0; ch <= m_dram.params().channels; ++ch) m_solver.set_capacity(ch, m_channel_peak * mix.efficiency);
    m_activates_per_byte = mix.activates_per_burst / static_cast<double>(m_profile->device().org.burst_bytes());
    // Rows open until the next change: the mix's share while DRAM transfers flow; between them every row under
    // open page (once one was opened), none under closed page.
    m_open_rate = reads + writes > 0                          ? mix.open_share
                  : m_profile->policy().open_page && m_dram_touched ? 1.0
                                                                    : 0.0;
  }
  m_demands.resize(m_active);
  for (std::size_t i = 0; i < m_active; ++i) {
    Transfer& t = m_transfers[i];
    const Window& w = window(t);
    m_demands[i] = {&uses_now(t),
                    w.tokens > kEmpty ? std::numeric_limits<double>::infinity() : w.rate / t.bytes_per_unit};
  }
  m_solver.solve(m_demands, m_rates);
  // The next change: a transfer ends, or a window runs out of tokens (its engine drops to rate c).
  double next = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < m_active; ++i) {
    const Transfer& t = m_transfers[i];
    const Window& w = window(t);
    if (m_rates[i] > 0) next = std::min(next, t.remaining / m_rates[i]);
    const double excess = m_rates[i] * t.bytes_per_unit - w.rate;
    if (w.tokens > kEmpty && excess > 1e-12 * w.rate) next = std::min(next, w.tokens / excess);
  }
  m_next.reset();
  if (next == std::numeric_limits<double>::infinity()) return;
  const double cycles = std::max(1.0, std::ceil(next - 1e-9));
  m_next = now + static_cast<std::uint64_t>(cycles);
}

double FluidFlows::dram_open_cycles(std::uint64_t end) const {
  return m_dram_open_cycles + (end > m_time ? static_cast<double>(end - m_time) * m_open_rate : 0.0);
}

}  // namespace catsim
