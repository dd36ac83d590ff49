#pragma once
// Every key of arch.yaml, declared once (type, unit, range, default, meaning). The arch and carbon parsers
// read through these declarations and `catsim help arch` prints them as the reference of docs/arch-yaml.md.

#include <span>

#include "arch/arch_limits.h"
#include "arch/arch_spec.h"
#include "arch/config/param.h"

namespace catsim {

inline constexpr Param kArchParams[] = {
    {.path = "name", .type = ParamType::text, .what = "a name for this accelerator", .note = "label"},
    {.path = "preset", .type = ParamType::text, .default_note = "none",
     .what = "the name of a shipped arch under configs/arch/",
     .note = "a shipped arch to start from: its keys load first, this file's keys apply on top (maps merge key "
             "by key)"},
    {.path = "clock_mhz", .unit = "MHz", .lo = kMinClockMhz, .hi = kMaxClockMhz, .what = "clock frequency in MHz",
     .note = "clock of every unit"},
    {.path = "cores", .type = ParamType::integer, .lo = 1, .hi = kMaxCores, .value_default = 1,
     .what = "number of identical cores", .note = "identical cores sharing DRAM and the global buffer"},

    {.path = "systolic.rows", .type = ParamType::integer, .unit = "PEs", .lo = 1, .hi = kMaxArraySide,
     .what = "PE rows of the array", .note = "R of each core's array"},
    {.path = "systolic.cols", .type = ParamType::integer, .unit = "PEs", .lo = 1, .hi = kMaxArraySide,
     .what = "PE columns of the array", .note = "C of each core's array"},
    {.path = "systolic.dataflow", .type = ParamType::choice, .choices = "os|ws|is", .choice_default = "os",
     .note = "output-, weight- or input-stationary"},
    {.path = "systolic.timing", .type = ParamType::choice, .choices = "pipelined|scalesim",
     .choice_default = "pipelined", .note = "fold timing convention (see docs/timing.md)"},
    {.path = "systolic.precisions.PRECISION", .unit = "MACs/PE/cycle", .lo = 1.0 / kMaxMacRate, .hi = kMaxMacRate,
     .what = "MACs per PE per cycle: an integer >= 1 or 1/n",
     .note = "a map from `fp32`, `fp16`, `bf16`, `int8`, `int4` to a rate: an integer ≥ 1 (packs K) or `1/n` "
             "(stretches the stream); at least one; an absent precision is unsupported"},

    {.path = "vector.lanes", .type = ParamType::integer, .unit = "elements/cycle", .lo = 1, .hi = kMaxVectorLanes,
     .what = "elements processed per cycle", .note = "vector unit width"},
    {.path = "vector.pipeline_latency", .type = ParamType::integer, .unit = "cycles", .lo = 0, .hi = kMaxOpCycles,
     .value_default = 4, .what = "cycles of pipeline fill per pass", .note = "fill latency paid once per pass"},
    {.path = "vector.op_cycles.OP", .type = ParamType::integer, .unit = "cycles/pass", .lo = 1, .hi = kMaxOpCycles,
     .default_note = "1 (add, mul, max, sum), 4 (exp, div, rsqrt, gelu, silu, tanh)",
     .what = "cycles per pass of one op",
     .note = "OP is one of add, mul, max, sum, exp, div, rsqrt, gelu, silu, tanh: cycles per pass of `lanes` "
             "elements"},

    {.path = "sram.kib", .unit = "KiB", .lo = 0, .hi = kMaxSramKib, .lo_open = true,
     .default_note = "required (or the sum of the split)", .what = "per-core scratchpad capacity in KiB",
     .note = "per-core scratchpad"},
    {.path = "sram.ifmap_kib", .unit = "KiB", .lo = 0, .hi = kMaxSramKib, .lo_open = true, .default_note = "none",
     .what = "KiB", .note = "optional SCALE-Sim-style split: the input buffer; all three of the split or none"},
    {.path = "sram.weight_kib", .unit = "KiB", .lo = 0, .hi = kMaxSramKib, .lo_open = true, .default_note = "none",
     .what = "KiB", .note = "the split's filter buffer"},
    {.path = "sram.ofmap_kib", .unit = "KiB", .lo = 0, .hi = kMaxSramKib, .lo_open = true, .default_note = "none",
     .what = "KiB", .note = "the split's output buffer"},
    {.path = "sram.bytes_per_cycle", .type = ParamType::integer, .unit = "B/cycle", .lo = 1, .hi = kMaxBytesPerCycle,
     .what = "scratchpad port bandwidth, bytes per cycle",
     .note = "the scratchpad's port, shared by the core's load and store DMA (and the array with "
             "`array_port: shared`)"},
    {.path = "sram.array_port", .type = ParamType::choice, .choices = "separate|shared", .choice_default = "separate",
     .note = "`shared`: the array's operand reads and result writes go through the port too; while an array "
             "command runs it holds bytes/cycle of the port (the DMA engines share the rest), and a command "
             "needing more than the whole port stretches (stat `array_port_stall_cycles`); `separate`: the array "
             "has its own path (how the shipped archs' values were set)"},
    {.path = "sram.banks", .type = ParamType::integer, .lo = 1, .hi = kMaxBanks, .value_default = 1,
     .what = "number of SRAM banks", .note = "banks (area and energy bookkeeping; no bank conflicts are timed)"},
    {.path = "sram.global_kib", .unit = "KiB", .lo = 0, .hi = kMaxGlobalKib, .value_default = 0,
     .what = "shared global buffer, KiB",
     .note = "shared global buffer; holds activations that fit a quarter of it and stages re-read operands"},
    {.path = "sram.global_bytes_per_cycle", .type = ParamType::integer, .unit = "B/cycle", .lo = 1,
     .hi = kMaxBytesPerCycle, .default_note = "required if `global_kib` > 0, else 0",
     .what = "global buffer bandwidth, bytes per cycle", .note = "the global buffer's bandwidth"},

    {.path = "dram.type", .type = ParamType::choice, .choices = kDramTypes,
     .note = "energy, area and embodied carbon per type"},
    {.path = "dram.bandwidth_gbps", .unit = "GB/s", .lo = kMinDramGbps, .hi = kMaxDramGbps,
     .what = "peak bandwidth of all channels together, GB/s",
     .note = "peak of all channels together (10⁹ B/s)"},
    {.path = "dram.latency_ns", .unit = "ns", .lo = 0, .hi = kMaxDramLatencyNs, .value_default = 100,
     .what = "access latency, ns",
     .note = "from a request's issue to its data flowing; paid once per window of outstanding requests, hidden "
             "behind earlier data when a DMA engine's next command is ready in time"},
    {.path = "dram.channels", .type = ParamType::integer, .lo = 1, .hi = kMaxDramChannels, .value_default = 1,
     .what = "independent channels",
     .note = "bursts interleave over the channels; each channel shares itself fairly (burst by burst) among the "
             "transfers queued on it"},
    {.path = "dram.capacity_gib", .unit = "GiB", .lo = 0, .hi = kMaxDramGib, .lo_open = true,
     .what = "DRAM capacity, GiB", .note = "weights and the KV cache must fit"},
    {.path = "dram.model", .type = ParamType::choice, .choices = "timed|banked|ideal", .choice_default = "timed",
     .note = "`timed`: each channel serves its transfers at its peak rate; `banked`: at the rate the part's "
             "bank-level controller sustains for the transfers in flight (configs/tech/dram_devices.yaml: row "
             "switches, tFAW, refresh, bus turnarounds), and DRAM energy from the part's datasheet currents "
             "where it has them; `ideal`: memory never stalls (SCALE-Sim's CALC mode)"},
    {.path = "dram.mapping", .type = ParamType::choice, .choices = "RoBaCoBgCh|RoCoBaBgCh|RoBgBaCoCh",
     .choice_default = "RoBaCoBgCh",
     .note = "`banked`: how a channel's addresses map to its rows, bank groups, banks and columns, most significant "
             "field first (Ro row, Bg bank group, Ba bank, Co column, Ch channel). `RoBaCoBgCh`: consecutive bursts "
             "alternate bank groups, then fill a row; `RoCoBaBgCh`: consecutive bursts spread over every bank; "
             "`RoBgBaCoCh`: a stream fills one bank's row before moving on"},
    {.path = "dram.page_policy", .type = ParamType::choice, .choices = "open|closed", .choice_default = "open",
     .note = "`banked`: `open` keeps a row open after its accesses (a later hit needs no ACT; standby at IDD3N), "
             "`closed` precharges it once no queued request hits it (standby at IDD2N while no row is open)"},
    {.path = "dram.burst_bytes", .type = ParamType::integer, .unit = "B", .lo = 1, .hi = kMaxBurstBytes,
     .value_default = 64, .what = "bytes per DRAM request (burst)",
     .note = "bytes per DRAM request; sets how a transfer spreads over channels and, with `dma.outstanding`, the "
             "window"},

    {.path = "dma.outstanding", .type = ParamType::integer, .unit = "requests", .lo = 1, .hi = kMaxOutstanding,
     .value_default = 64, .what = "requests (bursts) in flight per DMA engine",
     .note = "requests in flight per DMA engine (each core has a load and a store engine); an engine moves at "
             "most `outstanding × burst_bytes / (latency + one burst's channel time)` bytes per cycle, so set it "
             "to cover the bandwidth-delay product (shipped: 128 on `tpuv1`, 4096 on `datacenter`)"},
    {.path = "mapper.objective", .type = ParamType::choice, .choices = "latency|energy|edp",
     .choice_default = "latency",
     .note = "what the compiler minimizes when it picks a matmul's schedule among the candidates it runs: the "
             "op's time alone, its energy alone, or energy × time (docs/timing.md)"},

    {.path = "technology.node_nm", .type = ParamType::integer, .unit = "nm", .lo = kMinNodeNm, .hi = kMaxNodeNm,
     .what = "process node in nm", .note = "one with data: 45, 32, 28, 22, 20, 16, 14, 10, 7, 5 or 3"},
    {.path = "technology.sram_cell", .type = ParamType::choice, .choices = "hp|lstp", .choice_default = "hp",
     .note = "SRAM cell: high-performance or low-standby-power (leakage 100–1000× apart)"},
    {.path = "technology.overrides.ENTRY", .unit = "the entry's", .lo = 0, .hi = 1e9, .default_note = "none",
     .note = "replaces any figure of `configs/tech/*.yaml` by name (e.g. `mac_int8_pj: 0.05`); a typo lists "
             "every entry"},
    {.path = "analytic.energy_per_mac_pj", .unit = "pJ", .lo = 0, .hi = kMaxEnergyPerMacPj, .value_default = 2.2,
     .what = "flat energy per MAC of the sequential estimator, pJ",
     .note = "flat energy per MAC of the `sequential` estimator (CATransformers' figure at 22 nm); used by "
             "nothing else"},
    {.path = "area_mm2", .unit = "mm²", .lo = 0, .hi = kMaxAreaMm2, .lo_open = true, .default_note = "estimated",
     .what = "die area in mm^2 (overrides the estimate)",
     .note = "die area of a known chip; replaces the estimate for embodied carbon"},

    {.path = "carbon.embodied.fab_region", .type = ParamType::text, .default_note = "`configs/tech/act.yaml`'s",
     .note = "fab's grid: an ACT table name, optionally with its year (`taiwan@2022`; configs/regions.yaml)"},
    {.path = "carbon.embodied.fab_ci_g_per_kwh", .unit = "g CO2e/kWh", .lo = 0, .hi = 10'000,
     .default_note = "none", .what = "carbon intensity, g CO2e per kWh", .note = "instead of `fab_region`"},
    {.path = "carbon.embodied.gas_abatement_pct", .type = ParamType::integer, .unit = "%", .lo = 0, .hi = 100,
     .default_note = "`configs/tech/act.yaml`'s", .what = "percent", .note = "one of the ACT tables' abatement levels (95, 97, 99)"},
    {.path = "carbon.embodied.yield", .lo = 1e-6, .hi = 1, .default_note = "`configs/tech/act.yaml`'s",
     .what = "fraction of good dies", .note = "a fixed die yield; instead of `defect_density_per_cm2`"},
    {.path = "carbon.embodied.defect_density_per_cm2", .unit = "1/cm²", .lo = 0, .hi = 100, .default_note = "none",
     .what = "defects per cm2", .note = "a yield model from the die area, instead of `yield`"},
    {.path = "carbon.embodied.yield_model", .type = ParamType::choice, .choices = "poisson|murphy|negative_binomial",
     .choice_default = "negative_binomial", .note = "with `defect_density_per_cm2` only"},
    {.path = "carbon.embodied.clustering_alpha", .lo = 0.01, .hi = 1000, .value_default = 3,
     .what = "defect clustering parameter alpha", .note = "`negative_binomial` only"},
    {.path = "carbon.embodied.packaging_g_per_ic", .unit = "g CO2e", .lo = 0, .hi = 1e6,
     .default_note = "`configs/tech/act.yaml`'s", .what = "g CO2e per IC", .note = "packaging per chip"},
    {.path = "carbon.embodied.memory_g_per_gb", .unit = "g CO2e/GB", .lo = 0, .hi = 1e6,
     .default_note = "the DRAM type's (`configs/tech/act.yaml`)", .what = "g CO2e per GB", .note = "replaces the per-DRAM-type figure"},
    {.path = "carbon.embodied.memory_yield", .lo = 1e-6, .hi = 1, .default_note = "`configs/tech/act.yaml`'s",
     .what = "fraction of good memory"},
    {.path = "carbon.operational.grid_region", .type = ParamType::text, .default_note = "`configs/regions.yaml`'s (the world average)",
     .note = "a GCP region or ISO-3 country (configs/regions.yaml, each with its source and year)"},
    {.path = "carbon.operational.grid_ci_g_per_kwh", .unit = "g CO2e/kWh", .lo = 0, .hi = 10'000,
     .default_note = "none", .what = "carbon intensity, g CO2e per kWh", .note = "instead of `grid_region`"},
    {.path = "carbon.operational.pue", .lo = 1, .hi = 10, .value_default = 1,
     .what = "power usage effectiveness, >= 1", .note = "facility energy / IT energy"},
    {.path = "carbon.deployment.lifetime_years", .unit = "years", .lo = 0.001, .hi = 100, .value_default = 3,
     .what = "years in service"},
    {.path = "carbon.deployment.inferences", .lo = 1, .hi = 1e18, .default_note = "3·10⁷ over the lifetime",
     .what = "inferences over the lifetime", .note = "CATransformers' convention; or `inferences_per_second`"},
    {.path = "carbon.deployment.inferences_per_second", .unit = "1/s", .lo = 1e-6, .hi = 1e12,
     .default_note = "none", .what = "inferences per second while serving", .note = "instead of `inferences`"},
    {.path = "carbon.deployment.utilization", .lo = 1e-6, .hi = 1, .value_default = 1,
     .what = "fraction of the lifetime spent serving", .note = "with `inferences_per_second` only"},
};

consteval const Param& arch_param(std::string_view path) { return find_param(kArchParams, path); }

inline std::span<const Param> arch_params() { return kArchParams; }

}  // namespace catsim
