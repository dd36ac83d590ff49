// `sram.array_port: shared`: the array's scratchpad bytes (operand reads, result writes) go through the same
// port as the core's DMA. A command that needs more than the port stretches; while the array runs, the DMA
// engines get only what is left of the port.

#include <gtest/gtest.h>

#include "sim/run/simulation.h"
#include "tests/support/arch_text.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

SimulationResult run_32x32x1024(const std::string& port) {
  const ArchSpec arch = test::arch_from_text(
      "port", test::slurp(std::string(CATSIM_SOURCE_DIR) + "/configs/arch/edge_npu.yaml"),
      {"arch.sram.array_port=" + port, "arch.sram.bytes_per_cycle=32", "arch.dram.model=ideal"});
  return run_simulation(arch, load_model(test::write_file("g32.yaml", "kind: gemm\nm: 32\nn: 32\nk: 1024\n")));
}

TEST(ArrayPort, SeparateRunsTheFoldChain) {
  // One 32x32 OS fold streaming K = 1024: 1024 + 32 + 32 - 2 = 1,086 cycles, no stall.
  const SimulationResult r = run_32x32x1024("separate");
  EXPECT_EQ(r.cycles, 1'086u);
  EXPECT_EQ(r.array_port_stall_cycles, 0u);
}

TEST(ArrayPort, SharedStretchesToThePortsBytes) {
  // The fold reads A (32 x 1024 B) and B (1024 x 32 B) once and writes 32 x 32 int32 sums: 32,768 + 32,768
  // + 4,096 = 69,632 bytes through a 32 B/cycle port take 2,176 cycles, 1,090 more than the chain.
  const SimulationResult r = run_32x32x1024("shared");
  EXPECT_EQ(r.cycles, 2'176u);
  EXPECT_EQ(r.array_port_stall_cycles, 1'090u);
}

}  // namespace
}  // namespace catsim
