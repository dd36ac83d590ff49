#include "sim/memory/memory_system.h"

namespace catsim {
namespace {

std::uint64_t now_cycles() { return static_cast<std::uint64_t>(sc_core::sc_time_stamp().value()); }

}  // namespace

MemorySystem::MemorySystem(sc_core::sc_module_name name, const ArchSpec& arch, int cores, SharedMemory& dram,
                           SharedMemory* global)
    : sc_core::sc_module(name), m_flows(arch, cores, dram, global) {
  SC_METHOD(update);
  sensitive << m_wake;
  dont_initialize();
}

void MemorySystem::start(int requester, SharedMemory& memory, std::uint64_t bytes, bool write, bool* done,
                         sc_core::sc_event& done_event) {
  int tag = static_cast<int>(m_waiters.size());
  if (m_free_tags.empty()) {
    m_waiters.emplace_back();
  } else {
    tag = m_free_tags.back();
    m_free_tags.pop_back();
  }
  m_waiters[static_cast<std::size_t>(tag)] = {done, &done_event};
  m_flows.start(now_cycles(), requester, memory, bytes, write, tag);
  schedule();
}

void MemorySystem::set_array_rate(int core, double bytes_per_cycle) {
  m_flows.set_array_rate(now_cycles(), core, bytes_per_cycle);
  schedule();
}

void MemorySystem::update() {
  m_flows.update(now_cycles());
  schedule();
}

void MemorySystem::schedule() {
  for (int tag : m_flows.finished()) {
    Waiter& w = m_waiters[static_cast<std::size_t>(tag)];
    *w.done = true;
    w.event->notify(sc_core::SC_ZERO_TIME);
    m_free_tags.push_back(tag);
  }
  m_flows.clear_finished();
  m_wake.cancel();
  if (const auto next = m_flows.next_change())
    m_wake.notify(sc_core::sc_time(static_cast<double>(*next - now_cycles()), sc_core::SC_NS));
}

}  // namespace catsim
