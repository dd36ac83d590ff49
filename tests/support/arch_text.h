#pragma once
// Builds ArchSpecs for tests from YAML text written to a scratch file (the real parser, real validation).

#include <string>

#include "arch/arch_parser.h"
#include "tests/support/run_catsim.h"

namespace catsim::test {

// An 8x8 INT8 arch, every key valid: the base the malformed-input and hostile-input tests change line by
// line (their expected line:column positions count from its first line).
inline constexpr const char* kTinyInt8Arch = R"(name: t
clock_mhz: 1000
systolic: {rows: 8, cols: 8, precisions: {int8: 1}}
vector: {lanes: 8}
sram: {kib: 64, bytes_per_cycle: 32}
dram: {type: lpddr4, bandwidth_gbps: 10, capacity_gib: 1}
technology: {node_nm: 22}
)";

// A 1-core arch with round numbers: 1000 MHz, DRAM 16 GB/s = 16 B/cycle on 1 channel, 10 ns = 10 cycles latency.
inline std::string small_arch_yaml(const std::string& extra = "") {
  return "name: t\nclock_mhz: 1000\n"
         "systolic: {rows: 4, cols: 4, dataflow: os, precisions: {int8: 1, int4: 2, fp16: 0.5}}\n"
         "vector: {lanes: 8, pipeline_latency: 2}\n"
         "sram: {kib: 64, bytes_per_cycle: 64}\n"
         "dram: {type: lpddr4, bandwidth_gbps: 16, latency_ns: 10, channels: 1, capacity_gib: 1}\n"
         "technology: {node_nm: 22}\n" + extra;
}

inline ArchSpec arch_from_text(const std::string& name, const std::string& text,
                               const std::vector<std::string>& sets = {}) {
  return load_arch(write_file(name + ".yaml", text), parse_overrides(sets));
}

}  // namespace catsim::test
