#pragma once
// The valid range of every numeric arch.yaml key, in one place: physical bounds wide enough for any real
// accelerator, narrow enough that the compiler's sizes, cycles and bookkeeping never overflow or exhaust memory.

#include <cstdint>

namespace catsim {

inline constexpr std::int64_t kMaxArraySide = 4096;         // systolic.rows / cols, PEs
inline constexpr double kMaxMacRate = 64;                   // systolic.precisions: MACs per PE per cycle (>= 1/64)
inline constexpr std::int64_t kMaxCores = 1024;             // cores
inline constexpr double kMinClockMhz = 1;                   // clock_mhz: 1 MHz ..
inline constexpr double kMaxClockMhz = 10'000;              // .. 10 GHz
inline constexpr std::int64_t kMaxVectorLanes = 65'536;     // vector.lanes
inline constexpr std::int64_t kMaxOpCycles = 4096;          // vector.op_cycles.*, vector.pipeline_latency
inline constexpr double kMaxSramKib = 1'048'576;            // sram.kib and its split: 1 GiB per core
inline constexpr double kMaxGlobalKib = 4'194'304;          // sram.global_kib: 4 GiB
inline constexpr std::int64_t kMaxBytesPerCycle = 65'536;   // sram.bytes_per_cycle, global_bytes_per_cycle
inline constexpr std::int64_t kMaxBanks = 1024;             // sram.banks
inline constexpr double kMinDramGbps = 0.01;                // dram.bandwidth_gbps: 10 MB/s ..
inline constexpr double kMaxDramGbps = 100'000;             // .. 100 TB/s
inline constexpr double kMaxDramLatencyNs = 100'000;        // dram.latency_ns: 0 .. 100 us
inline constexpr std::int64_t kMaxDramChannels = 1024;      // dram.channels
inline constexpr double kMaxDramGib = 65'536;               // dram.capacity_gib: 64 TiB
inline constexpr std::int64_t kMinNodeNm = 3;               // technology.node_nm
inline constexpr std::int64_t kMaxNodeNm = 180;
inline constexpr double kMaxAreaMm2 = 100'000;              // area_mm2 (a wafer-scale die is ~46,000)
inline constexpr double kMaxEnergyPerMacPj = 1e6;            // analytic.energy_per_mac_pj (a 45 nm fp32 MAC is ~4.6 pJ)

}  // namespace catsim
