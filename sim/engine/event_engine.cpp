#include "sim/engine/event_engine.h"

#include <algorithm>
#include <memory>
#include <queue>
#include <vector>

#include "sim/engine/unit_rules.h"
#include "sim/memory/fluid_flows.h"

namespace catsim {
namespace {

using u64 = std::uint64_t;

// The SystemC model's scheduling, kept where it decides a result: at each cycle the memory's update runs
// first (a method), then the units whose timed waits end there, in the order they began waiting; a
// completion wakes its waiters one delta later, in the order they registered.
class EventEngine {
 public:
  EventEngine(const ArchSpec& arch, const Program& program)
      : m_arch(arch),
        m_program(program),
        m_dram(dram_params(arch)),
        m_global(arch.sram.global_kib > 0 ? std::make_unique<MemoryChannels>(global_buffer_params(arch)) : nullptr),
        m_flows(arch, program.cores, m_dram, m_global.get()),
        m_done(program.commands.size(), false),
        m_first_waiter(program.commands.size(), -1),
        m_last_waiter(program.commands.size(), -1) {
    for (int c = 0; c < program.cores; ++c)
      for (UnitKind kind : {UnitKind::dma_load, UnitKind::dma_store, UnitKind::array, UnitKind::vector}) {
        Unit u;
        u.core = c, u.kind = kind;
        const bool has = !program.queues.empty() && !program.queues[c].empty();
        u.queue = has ? &program.queues[c][static_cast<int>(kind)] : &m_empty;
        if (is_dma(kind)) u.requester = m_flows.add_requester(c);
        m_units.push_back(u);
      }
    m_next_waiter.assign(m_units.size(), -1);
  }

  // Runs to the end; nullopt when it stops because the time passed `deadline`.
  std::optional<EngineResult> run(u64 deadline = ~u64{0}) {
    EngineResult r;
    r.times.start.assign(m_program.commands.size(), 0);
    r.times.end.assign(m_program.commands.size(), 0);
    m_times = &r.times;
    std::vector<int> first;  // the units that run in the first delta of a cycle
    for (int u = 0; u < static_cast<int>(m_units.size()); ++u) first.push_back(u);
    for (;;) {
      // The memory's update (if due) pushed the units whose transfers ended into the next delta; the timed
      // units run before them, and whatever they wake follows.
      for (int u : first) resume(m_units[static_cast<std::size_t>(u)], u);
      run_deltas();
      if (m_timed.empty()) break;
      m_now = m_timed.top().time;
      if (m_now > deadline) return std::nullopt;
      first.clear();
      bool update = false;
      while (!m_timed.empty() && m_timed.top().time == m_now) {
        const Timed t = m_timed.top();
        m_timed.pop();
        if (t.unit < 0) update = update || t.generation == m_update_generation;
        else first.push_back(t.unit);
      }
      if (update) {
        m_flows.update(m_now);
        after_flows();
      }
    }
    for (u64 e : r.times.end) r.cycles = std::max(r.cycles, e);
    collect(r);
    return r;
  }

 private:
  enum class Phase { pick, finish, port_release, transfer, transfer_done };
  struct Unit {
    int core = 0;
    UnitKind kind = UnitKind::dma_load;
    const std::vector<CommandId>* queue = nullptr;
    std::size_t next = 0, dep = 0;  // the command being run, and its first dependency not yet seen done
    Phase phase = Phase::pick;
    u64 start = 0;
    int requester = -1;
    u64 last_issue = 0, last_end = 0;  // DMA: of the previous command
    u64 busy = 0, commands = 0, macs = 0, port_stall = 0;
  };
  struct Timed {
    u64 time, seq;
    int unit;  // -1: the memory's update
    u64 generation;
    bool operator>(const Timed& o) const { return time != o.time ? time > o.time : seq > o.seq; }
  };

  void run_deltas() {
    while (!m_delta.empty()) {
      m_current.clear();
      m_current.swap(m_delta);  // both buffers keep their room for the next deltas
      for (int u : m_current) resume(m_units[static_cast<std::size_t>(u)], u);
    }
  }

  // Unit `index` waits for command `id`, after the units that began waiting for it before.
  void add_waiter(CommandId id, int index) {
    m_next_waiter[static_cast<std::size_t>(index)] = -1;
    if (m_last_waiter[id] < 0) m_first_waiter[id] = index;
    else m_next_waiter[static_cast<std::size_t>(m_last_waiter[id])] = index;
    m_last_waiter[id] = index;
  }

  void wait_until(int unit, u64 time) { m_timed.push({time, m_seq++, unit, 0}); }

  // Wakes the units whose transfers ended, and sets the memory's next update.
  void after_flows() {
    for (int tag : m_flows.finished()) m_delta.push_back(tag);
    m_flows.clear_finished();
    ++m_update_generation;
    if (const auto next = m_flows.next_change()) m_timed.push({*next, m_seq++, -1, m_update_generation});
  }

  void resume(Unit& u, int index) {
    for (;;) {
      switch (u.phase) {
        case Phase::pick: {
          if (u.next >= u.queue->size()) return;
          const Command& cmd = m_program.commands[(*u.queue)[u.next]];
          for (; u.dep < cmd.deps.size(); ++u.dep)
            if (!m_done[cmd.deps[u.dep]]) {
              add_waiter(cmd.deps[u.dep], index);
              return;
            }
          u.start = m_now;
          if (!execute(u, index, cmd)) return;
          break;
        }
        case Phase::port_release:
          m_flows.set_array_rate(m_now, u.core, 0.0);
          after_flows();
          u.phase = Phase::finish;
          break;
        case Phase::transfer: {
          const Command& cmd = m_program.commands[(*u.queue)[u.next]];
          u.phase = Phase::transfer_done;
          m_flows.start(m_now, u.requester, memory_of(cmd), cmd.dram_bytes, cmd.is_store(), index);
          after_flows();
          return;
        }
        case Phase::transfer_done:
          u.last_end = m_now;
          u.phase = Phase::finish;
          break;
        case Phase::finish: {
          const CommandId id = (*u.queue)[u.next];
          m_times->start[id] = u.start;
          m_times->end[id] = m_now;
          u.busy += m_now - u.start;
          u.commands++;
          m_done[id] = true;
          for (int w = m_first_waiter[id]; w >= 0; w = m_next_waiter[static_cast<std::size_t>(w)]) m_delta.push_back(w);
          m_first_waiter[id] = m_last_waiter[id] = -1;
          u.next++, u.dep = 0, u.phase = Phase::pick;
          break;
        }
      }
    }
  }

  MemoryChannels& memory_of(const Command& cmd) {
    return cmd.memory == MemoryTarget::global_buffer && m_global ? *m_global : m_dram;
  }

  // Starts `cmd` on `u`; true when it finished at once (the caller goes on), false when the unit now waits.
  bool execute(Unit& u, int index, const Command& cmd) {
    if (is_dma(u.kind)) {
      MemoryChannels& memory = memory_of(cmd);
      memory.count(cmd.dram_bytes, cmd.is_store());
      if (memory.ideal() || cmd.dram_bytes == 0) {
        u.phase = Phase::finish;
        return true;
      }
      const DmaTiming t = dma_timing(cmd, *m_times, u.last_issue, u.last_end, memory.params().latency_cycles, m_now);
      u.last_issue = t.issue;
      u.start = t.start;
      u.phase = Phase::transfer;
      if (t.arrive == m_now) return true;
      wait_until(index, t.arrive);
      return false;
    }
    u64 cycles = cmd.cycles;
    u.phase = Phase::finish;
    if (u.kind == UnitKind::array) {
      u.macs += cmd.macs;
      if (m_arch.sram.array_shares_port && cmd.cycles > 0) {
        const PortedArrayTiming t = on_shared_port(cmd, m_arch.sram.bytes_per_cycle);
        cycles = t.cycles;
        u.port_stall += cycles - cmd.cycles;
        m_flows.set_array_rate(m_now, u.core, t.bytes_per_cycle);
        after_flows();
        u.phase = Phase::port_release;
      }
    }
    if (cycles == 0) return true;
    wait_until(index, m_now + cycles);
    return false;
  }

  void collect(EngineResult& r) const {
    for (const Unit& u : m_units) {
      r.units.push_back({u.core, u.kind, u.busy, u.commands});
      if (is_dma(u.kind)) r.dma_transfers += u.commands;
      r.macs += u.macs;
      r.array_port_stall_cycles += u.port_stall;
    }
    add_memory_stats(r, m_dram, m_global.get(), m_flows.dram_service(), m_flows.dram_activates(),
                     m_flows.dram_open_cycles(r.cycles));
  }

  const ArchSpec& m_arch;
  const Program& m_program;
  MemoryChannels m_dram;
  std::unique_ptr<MemoryChannels> m_global;
  FluidFlows m_flows;
  std::vector<Unit> m_units;  // per core: load DMA, store DMA, array, vector
  const std::vector<CommandId> m_empty;
  std::vector<bool> m_done;
  // Per command, the units waiting for it in the order they registered: a list through m_next_waiter (a
  // unit waits for one command at a time).
  std::vector<int> m_first_waiter, m_last_waiter, m_next_waiter;
  std::vector<int> m_delta;    // units to resume in the next delta at m_now
  std::vector<int> m_current;  // the delta being run
  std::priority_queue<Timed, std::vector<Timed>, std::greater<>> m_timed;
  u64 m_now = 0, m_seq = 0, m_update_generation = 0;
  CommandTimes* m_times = nullptr;
};

}  // namespace

EngineResult run_events(const ArchSpec& arch, const Program& program) { return *EventEngine(arch, program).run(); }

std::optional<std::uint64_t> makespan_within(const ArchSpec& arch, const Program& program, std::uint64_t deadline) {
  const std::optional<EngineResult> r = EventEngine(arch, program).run(deadline);
  return r ? std::optional<std::uint64_t>(r->cycles) : std::nullopt;
}

}  // namespace catsim
