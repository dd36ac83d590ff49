#pragma once
// Helpers shared by the carbon unit tests: a small ArchSpec filled in directly (no parser), and a YAML
// snippet parser for override and carbon blocks.

#include <yaml-cpp/yaml.h>

#include <string>

#include "arch/arch_spec.h"

namespace catsim::test {

// 4x4 OS int8 array, 1 core, 8 vector lanes, 64 KiB scratchpad (1 bank, 64 B port), DDR4 1 channel 8 GiB.
inline ArchSpec small_arch(int node_nm = 45) {
  ArchSpec a;
  a.name = "small";
  a.source_file = "arch.yaml";
  a.clock_mhz = 1000;
  a.cores = 1;
  a.systolic.rows = 4;
  a.systolic.cols = 4;
  a.systolic.dataflow = Dataflow::os;
  a.systolic.macs_per_pe_per_cycle = {{Precision::int8, 1.0}};
  a.vector.lanes = 8;
  a.sram.kib = 64;
  a.sram.bytes_per_cycle = 64;
  a.sram.banks = 1;
  a.dram.type = "ddr4";
  a.dram.bandwidth_gbps = 25.6;
  a.dram.channels = 1;
  a.dram.capacity_gib = 8;
  a.technology.node_nm = node_nm;
  return a;
}

inline YAML::Node yaml(const std::string& text) {
  return YAML::Load(text);
}

}  // namespace catsim::test
