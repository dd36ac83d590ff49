#include "sim/engine/engine_entry.h"

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "sim/engine/unit_rules.h"
#include "sim/engine/units.h"
#include "sim/memory/scratchpad.h"
#include "sim/memory/memory_system.h"
#include "sim/memory/shared_memory.h"

namespace catsim {
namespace {

// The module tree: cores x {dma_load, dma_store, scratchpad, array, vector}, the shared DRAM, the
// global buffer and the memory system that times their transfers.
class Accelerator : public sc_core::sc_module {
 public:
  Accelerator(sc_core::sc_module_name name, const ArchSpec& arch, const Program& program, CommandTimes& times)
      : sc_core::sc_module(name),
        m_scoreboard(program.commands.size()),
        m_dram("dram", dram_params(arch)),
        m_global(arch.sram.global_kib > 0 ? std::make_unique<SharedMemory>("global_buffer", global_buffer_params(arch))
                                          : nullptr),
        m_memory_system("memory_system", arch, program.cores, m_dram, m_global.get()) {
    for (int c = 0; c < program.cores; ++c) {
      const auto& q = program.queues.empty() ? m_empty : program.queues[c];
      auto queue = [&](UnitKind u) -> const std::vector<CommandId>& {
        return q.empty() ? m_empty_queue : q[static_cast<int>(u)];
      };
      std::string core = "core" + std::to_string(c);
      m_scratchpads.push_back(std::make_unique<Scratchpad>((core + "_scratchpad").c_str()));
      for (UnitKind u : {UnitKind::dma_load, UnitKind::dma_store})
        m_dmas.push_back(std::make_unique<DmaEngine>((core + "_" + std::string(name_of(u))).c_str(), program, queue(u),
                                                     m_scoreboard, times, m_memory_system, m_dram, m_global.get(),
                                                     *m_scratchpads.back(), c));
      m_arrays.push_back(std::make_unique<SystolicArrayUnit>((core + "_array").c_str(), program,
                                                             queue(UnitKind::array), m_scoreboard, times));
      if (arch.sram.array_shares_port) m_arrays.back()->share_port(m_memory_system, c, arch.sram.bytes_per_cycle);
      m_vectors.push_back(std::make_unique<VectorUnit>((core + "_vector").c_str(), program, queue(UnitKind::vector),
                                                       m_scoreboard, times));
    }
  }

  void collect(EngineResult& r) const {
    for (std::size_t c = 0; c < m_arrays.size(); ++c) {
      const int core = static_cast<int>(c);
      for (std::size_t d = 2 * c; d < 2 * c + 2; ++d) {
        r.units.push_back({core, d % 2 ? UnitKind::dma_store : UnitKind::dma_load, m_dmas[d]->busy_cycles(),
                           m_dmas[d]->commands()});
        r.dma_transfers += m_dmas[d]->transfers();
      }
      r.units.push_back({core, UnitKind::array, m_arrays[c]->busy_cycles(), m_arrays[c]->commands()});
      r.units.push_back({core, UnitKind::vector, m_vectors[c]->busy_cycles(), m_vectors[c]->commands()});
      r.macs += m_arrays[c]->macs();
      r.array_port_stall_cycles += m_arrays[c]->port_stall_cycles();
    }
    add_memory_stats(r, m_dram, m_global.get(), m_memory_system.dram_service(), m_memory_system.dram_activates(),
                     m_memory_system.dram_open_cycles(r.cycles));
  }

 private:
  Scoreboard m_scoreboard;
  SharedMemory m_dram;
  std::unique_ptr<SharedMemory> m_global;
  MemorySystem m_memory_system;
  std::vector<std::unique_ptr<Scratchpad>> m_scratchpads;
  std::vector<std::unique_ptr<DmaEngine>> m_dmas;  // per core: load engine, then store engine
  std::vector<std::unique_ptr<SystolicArrayUnit>> m_arrays;
  std::vector<std::unique_ptr<VectorUnit>> m_vectors;
  const std::vector<std::vector<CommandId>> m_empty;
  const std::vector<CommandId> m_empty_queue;
};

bool g_elaborated = false;

}  // namespace

}  // namespace catsim

extern "C" void catsim_engine_run(const catsim::ArchSpec& arch, const catsim::Program& program,
                                  catsim::EngineResult& r) {
  using namespace catsim;
  if (g_elaborated) throw std::logic_error("SystemC allows one elaboration per process: fork a child per run");
  g_elaborated = true;
  setenv("SYSC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  sc_core::sc_set_time_resolution(1, sc_core::SC_NS);  // one cycle = 1 ns of simulated time

  r.times.start.assign(program.commands.size(), 0);
  r.times.end.assign(program.commands.size(), 0);
  Accelerator top("accelerator", arch, program, r.times);
  sc_core::sc_start();
  for (std::uint64_t e : r.times.end) r.cycles = std::max(r.cycles, e);
  top.collect(r);
}
