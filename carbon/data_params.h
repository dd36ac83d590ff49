#pragma once
// Every key of the shipped data files (configs/tech/*.yaml, configs/regions.yaml), declared once: the loaders
// read through these declarations, so an edited or damaged table meets the same full-width range checks as a
// user's arch.yaml, and `catsim help data` prints them as the reference in docs/energy-carbon.md. A path
// starts with its file's name (TABLE: logic, sram_cacti7 or dram; dram_devices for the bank-level parts); an
// upper-case part stands for any key.

#include <span>

#include "arch/arch_limits.h"
#include "arch/config/param.h"

namespace catsim {

inline constexpr double kMaxTechFigure = 1e9;       // an entry's value, in its own unit
inline constexpr double kMaxTechCoefficient = 1e6;  // a derived entry's weight
inline constexpr double kMaxScalingFactor = 1e3;    // node scaling relative to the reference node
inline constexpr double kMaxCarbonFigure = 1e9;     // g CO2e per cm², per IC, per GB; kWh per cm²
inline constexpr double kMaxIntensity = 1e4;        // g CO2e/kWh: coal is about 1,000

inline constexpr Param kDataParams[] = {
    {.path = "node_scaling.source", .type = ParamType::text, .default_note = "none", .what = "citation of the scaling factors"},
    {.path = "node_scaling.notes", .type = ParamType::text, .default_note = "none", .what = "how the factors were derived (a list)"},
    {.path = "node_scaling.reference_nm", .unit = "nm", .lo = 0, .hi = kMaxNodeNm, .lo_open = true,
     .what = "the node whose factors are 1"},
    {.path = "node_scaling.supported_nm", .type = ParamType::integer, .unit = "nm", .lo = kMinNodeNm,
     .hi = kMaxNodeNm, .what = "a node technology.node_nm accepts", .note = "a list, within the tables' nodes"},
    {.path = "node_scaling.energy.NODE", .unit = "×", .lo = 0, .hi = kMaxScalingFactor, .lo_open = true,
     .what = "energy factor relative to the reference node", .note = "keyed by node in nm, (0, 180]"},
    {.path = "node_scaling.area.NODE", .unit = "×", .lo = 0, .hi = kMaxScalingFactor, .lo_open = true,
     .what = "area factor relative to the reference node", .note = "the same nodes as energy"},

    {.path = "TABLE.sources.NAME", .type = ParamType::text, .default_note = "none", .what = "a citation that entries name as their source"},
    {.path = "TABLE.entries.NAME.value", .lo = 0, .hi = kMaxTechFigure,
     .what = "the figure, in the unit its name ends with", .note = "a base entry: measured at at_nm"},
    {.path = "TABLE.entries.NAME.scaling", .type = ParamType::choice, .choices = "energy|area|leak_density|none",
     .note = "how the value moves to another node (node_scaling.yaml)"},
    {.path = "TABLE.entries.NAME.at_nm", .unit = "nm", .lo = 0, .hi = kMaxNodeNm, .lo_open = true,
     .value_default = 45, .what = "node the value was measured at"},
    {.path = "TABLE.entries.NAME.source", .type = ParamType::text, .what = "a key of this file's sources"},
    {.path = "TABLE.entries.NAME.sum.ENTRY", .lo = 0, .hi = kMaxTechCoefficient,
     .what = "coefficient of the named entry", .note = "a derived entry: the weighted sum of other entries"},
    {.path = "TABLE.entries.NAME.rule", .type = ParamType::text,
     .default_note = "none; required with sum", .what = "how the sum was chosen"},
    {.path = "TABLE.entries.NAME.note", .type = ParamType::text, .default_note = "none", .what = "a remark on the entry"},
    {.path = "sram_cacti7.source", .type = ParamType::text, .default_note = "none", .what = "citation of the SRAM sweep"},
    {.path = "sram_cacti7.rules", .type = ParamType::text, .default_note = "none", .what = "how the sweep is read"},
    {.path = "sram_cacti7.access_bits", .type = ParamType::integer, .unit = "bits", .lo = 1, .hi = 65536,
     .what = "bits per access of the sweep"},
    {.path = "sram_cacti7.points", .lo = 0, .hi = kMaxTechFigure, .lo_open = true,
     .what = "node_nm, capacity_bytes, area_mm2, read_nj, write_nj, leak_mw",
     .note = "a list of rows of six positive numbers, one per CACTI run"},
    {.path = "sram_cacti7.override_only.NAME", .type = ParamType::text, .default_note = "none",
     .what = "what an entry that only an override sets replaces"},
    {.path = "dram.types.NAME.channel_bits", .type = ParamType::integer, .unit = "bits", .lo = 1, .hi = 4096,
     .what = "data bits per channel"},
    {.path = "dram.types.NAME.interface", .type = ParamType::choice, .choices = "ddr|hbm",
     .note = "selects the PHY and controller entries"},

    {.path = "act.sources.NAME", .type = ParamType::text, .default_note = "none", .what = "a citation"},
    {.path = "act.epa_kwh_per_cm2.NODE", .unit = "kWh/cm²", .lo = 0, .hi = kMaxCarbonFigure,
     .what = "fab energy per area of wafer", .note = "keyed by node in nm"},
    {.path = "act.gpa_g_per_cm2.PCT.NODE", .unit = "g CO2e/cm²", .lo = 0, .hi = kMaxCarbonFigure,
     .what = "fab gases per area of wafer", .note = "one table per gas abatement in percent (95 and 99 needed)"},
    {.path = "act.gas_abatement_choices", .type = ParamType::integer, .unit = "%", .lo = 0, .hi = 100,
     .what = "a gas abatement carbon.gas_abatement_pct accepts", .note = "a list"},
    {.path = "act.mpa_g_per_cm2", .unit = "g CO2e/cm²", .lo = 0, .hi = kMaxCarbonFigure, .lo_open = true,
     .what = "materials per area of wafer"},
    {.path = "act.oldest_row_nm", .unit = "nm", .lo = 0, .hi = kMaxNodeNm, .lo_open = true,
     .what = "oldest node with its own row; older nodes use it"},
    {.path = "act.nodes_outside_table", .type = ParamType::text, .default_note = "none", .what = "how nodes without a row are handled"},
    {.path = "act.defaults.gas_abatement_pct", .type = ParamType::integer, .unit = "%", .lo = 0, .hi = 100,
     .what = "gas abatement when arch.yaml names none"},
    {.path = "act.defaults.yield", .lo = 0, .hi = 1, .lo_open = true, .what = "fraction of good dies"},
    {.path = "act.defaults.fab_region", .type = ParamType::text, .what = "a fab region of configs/regions.yaml"},
    {.path = "act.defaults.packaging_g_per_ic", .unit = "g CO2e", .lo = 0, .hi = kMaxCarbonFigure, .lo_open = true,
     .what = "carbon of packaging one IC"},
    {.path = "act.defaults.memory_yield", .lo = 0, .hi = 1, .lo_open = true, .what = "fraction of good memory"},
    {.path = "act.memory_g_per_gb.TYPE.value", .unit = "g CO2e/GB", .lo = 0, .hi = kMaxCarbonFigure,
     .lo_open = true, .what = "embodied carbon per GB of memory", .note = "keyed by memory type"},
    {.path = "act.memory_g_per_gb.TYPE.part", .type = ParamType::text, .what = "the ACT row used"},
    {.path = "act.memory_g_per_gb.TYPE.note", .type = ParamType::text, .default_note = "none", .what = "a remark on the row"},

    {.path = "dram_devices.sources.NAME", .type = ParamType::text, .default_note = "none",
     .what = "a citation that devices name as their source"},
    {.path = "dram_devices.devices.NAME.standard", .type = ParamType::choice,
     .choices = "DDR3|DDR4|DDR5|LPDDR4|LPDDR5|HBM2|HBM3", .what = "the JEDEC standard of the part"},
    {.path = "dram_devices.devices.NAME.source", .type = ParamType::text, .what = "a key of this file's sources"},
    {.path = "dram_devices.devices.NAME.tck_ns", .unit = "ns", .lo = 0, .hi = 100, .lo_open = true,
     .what = "clock period of the device's command bus"},
    {.path = "dram_devices.devices.NAME.organization.bank_groups", .type = ParamType::integer, .lo = 1, .hi = 64,
     .what = "bank groups (1 where the standard has none)"},
    {.path = "dram_devices.devices.NAME.organization.banks_per_group", .type = ParamType::integer, .lo = 1,
     .hi = 256, .what = "banks in each group"},
    {.path = "dram_devices.devices.NAME.organization.rows", .type = ParamType::integer, .lo = 1, .hi = 16777216,
     .what = "rows per bank"},
    {.path = "dram_devices.devices.NAME.organization.columns", .type = ParamType::integer, .lo = 1, .hi = 65536,
     .what = "columns per row, each device_width bits"},
    {.path = "dram_devices.devices.NAME.organization.device_width", .type = ParamType::integer, .unit = "bits",
     .lo = 1, .hi = 1024, .what = "data pins per device"},
    {.path = "dram_devices.devices.NAME.organization.devices", .type = ParamType::integer, .lo = 1, .hi = 64,
     .what = "devices side by side in a rank (the channel is device_width x devices bits)"},
    {.path = "dram_devices.devices.NAME.organization.burst_length", .type = ParamType::integer, .unit = "beats",
     .lo = 1, .hi = 64, .what = "beats per column access", .note = "a multiple of data_rate"},
    {.path = "dram_devices.devices.NAME.organization.data_rate", .type = ParamType::integer, .unit = "beats/clock",
     .lo = 1, .hi = 8, .what = "beats per clock (2: double data rate)"},
    {.path = "dram_devices.devices.NAME.timing.TIMING", .type = ParamType::integer, .unit = "clocks of tCK",
     .lo = 1, .hi = 1000000, .what = "a JEDEC timing parameter",
     .note = "every one of rcd, rp, cl, cwl, ras, rc, rrd_s, rrd_l, faw, ccd_s, ccd_l, wtr_s, wtr_l, rtp, rtw, wr, refi, rfc"},
    {.path = "dram_devices.devices.NAME.rails.name", .type = ParamType::text, .what = "the supply rail (vdd, vpp, vdd2, …)",
     .note = "rails: a list, empty when the part has no currents in the data"},
    {.path = "dram_devices.devices.NAME.rails.volts", .unit = "V", .lo = 0, .hi = 10, .lo_open = true,
     .what = "the rail's voltage"},
    {.path = "dram_devices.devices.NAME.rails.idd0", .unit = "A", .lo = 0, .hi = 100,
     .what = "one bank activated and precharged every tRC, per device"},
    {.path = "dram_devices.devices.NAME.rails.idd2n", .unit = "A", .lo = 0, .hi = 100,
     .what = "standby, all banks precharged"},
    {.path = "dram_devices.devices.NAME.rails.idd3n", .unit = "A", .lo = 0, .hi = 100, .what = "standby, a bank open"},
    {.path = "dram_devices.devices.NAME.rails.idd4r", .unit = "A", .lo = 0, .hi = 100, .what = "bursting reads"},
    {.path = "dram_devices.devices.NAME.rails.idd4w", .unit = "A", .lo = 0, .hi = 100, .what = "bursting writes"},
    {.path = "dram_devices.devices.NAME.rails.idd5b", .unit = "A", .lo = 0, .hi = 100,
     .what = "all-bank refresh, during tRFC"},
    {.path = "dram_devices.types.TYPE", .type = ParamType::text,
     .what = "the part (a key of devices) that stands for an arch.yaml dram.type"},

    {.path = "regions.KIND.year", .type = ParamType::integer, .unit = "year", .lo = 1900, .hi = 2200,
     .what = "year the figures describe", .note = "KIND: fab or grid, each a list of tables; the newest year wins"},
    {.path = "regions.KIND.source", .type = ParamType::text, .what = "where the figures come from"},
    {.path = "regions.KIND.values.REGION", .unit = "g CO2e/kWh", .lo = 0, .hi = kMaxIntensity,
     .what = "carbon intensity of electricity"},
    {.path = "regions.defaults.grid_region", .type = ParamType::text,
     .what = "grid region used when arch.yaml names none"},
};

inline std::span<const Param> data_params() { return kDataParams; }

// The declaration of a data-file key: data_param("act.defaults.yield"). An undeclared path does not compile.
consteval const Param& data_param(std::string_view path) { return find_param(kDataParams, path); }

}  // namespace catsim
