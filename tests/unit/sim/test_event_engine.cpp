// The event engine (sim/engine/event_engine.h) against the SystemC model: every shipped arch on whole models,
// with timed and ideal DRAM and a shared scratchpad port, gives the same start and end cycle for every
// command, the same makespan and the same bytes. The mapper ranks schedules by the event engine's time, so
// this equality is what makes that ranking the engine's own.

#include <gtest/gtest.h>

#include <cstring>

#include "arch/arch_parser.h"
#include "arch/config/overrides.h"
#include "sim/compile/compiler.h"
#include "sim/engine/event_engine.h"
#include "sim/run/fork_runner.h"
#include "tests/support/paths.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

using u64 = std::uint64_t;

// The fields compared, flattened: makespan, bytes, then every command's start and end.
std::vector<u64> flatten(const EngineResult& r) {
  std::vector<u64> out{r.cycles, r.dram_read_bytes, r.dram_write_bytes, r.global_read_bytes, r.global_write_bytes,
                       r.macs, r.dma_transfers, r.array_port_stall_cycles};
  for (const UnitStats& u : r.units) out.push_back(u.busy_cycles);
  out.insert(out.end(), r.times.start.begin(), r.times.start.end());
  out.insert(out.end(), r.times.end.begin(), r.times.end.end());
  return out;
}

struct Case {
  const char* arch;
  const char* model;
  std::vector<std::string> arch_sets, model_sets;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.arch << " x " << c.model; }

class EventEngineMatchesSystemC : public ::testing::TestWithParam<Case> {};

TEST_P(EventEngineMatchesSystemC, EveryCommandAtTheSameCycles) {
  const Case& c = GetParam();
  const ArchSpec arch = load_arch(test::arch_config(std::string(c.arch) + ".yaml"), parse_overrides(c.arch_sets));
  const ModelSpec model = load_model(test::model_config(c.model), parse_overrides(c.model_sets));
  const OpGraph graph = lower(model);
  const Program program = compile(arch, model, graph);
  const std::vector<u64> events = flatten(run_events(arch, program));
  const ChildOutcome sc = run_in_child(
      [&] {
        const std::vector<u64> v = flatten(simulate(arch, program));
        return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(u64));
      },
      600);
  ASSERT_TRUE(sc.ok) << sc.error;
  ASSERT_EQ(sc.payload.size(), events.size() * sizeof(u64));
  std::vector<u64> systemc(events.size());
  std::memcpy(systemc.data(), sc.payload.data(), sc.payload.size());
  EXPECT_EQ(events[0], systemc[0]) << "makespan";
  std::size_t differ = 0, first = 0;
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i] != systemc[i] && differ++ == 0) first = i;
  EXPECT_EQ(differ, 0u) << "of " << events.size() << " values; the first at " << first << ": " << events[first]
                        << " against SystemC's " << systemc[first] << " (" << program.commands.size()
                        << " commands)";
}

const std::vector<std::string> kDecode{"model.precision=int8", "model.workload.kv_len=256", "model.layers=2"};

INSTANTIATE_TEST_SUITE_P(
    ShippedArchs, EventEngineMatchesSystemC,
    ::testing::Values(Case{"edge_npu", "bert-base.yaml", {}, {}}, Case{"tpuv1", "bert-base.yaml", {}, {}},
                      Case{"datacenter", "bert-base.yaml", {}, {}},
                      Case{"catransformers_baseline", "vit-base.yaml", {}, {}},
                      Case{"simba_like", "bert-base.yaml", {}, {}},
                      Case{"simba_like", "gemm-bert-proj.yaml", {"arch.dram.model=ideal"}, {}},
                      Case{"edge_npu", "bert-base.yaml", {"arch.sram.array_port=shared"}, {}},
                      Case{"catransformers_baseline", "llama-3-8b-decode.yaml", {"arch.dram.capacity_gib=32"}, kDecode},
                      Case{"tpuv1", "llama-2-7b-prefill.yaml", {"arch.dram.capacity_gib=32"},
                           {"model.precision=int8", "model.workload.seq_len=512", "model.layers=1"}},
                      Case{"datacenter", "llama-3-8b-decode.yaml", {"arch.cores=8"}, kDecode},
                      Case{"edge_npu", "clip-vit-b32.yaml", {"arch.dram.channels=4"}, {}}));

}  // namespace
}  // namespace catsim
