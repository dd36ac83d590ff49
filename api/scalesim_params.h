#pragma once
// Every key catsim reads from a SCALE-Sim v2 `.cfg` (INI: section.key, keys case-insensitive as SCALE-Sim
// reads them), declared once: parse_scalesim_config reads through these declarations and `catsim help cfg`
// prints them. SCALE-Sim's other keys (memory banks, request buffers, topology paths) are left to it.

#include <span>

#include "arch/arch_limits.h"
#include "arch/config/param.h"

namespace catsim {

inline constexpr double kMaxScaleSimSramKb = 1024.0 * 1024;  // 1 GiB per buffer, as sram.kib
inline constexpr double kMaxScaleSimBandwidth = 65'536;      // words per cycle, as sram.bytes_per_cycle

inline constexpr Param kScaleSimParams[] = {
    {.path = "general.run_name", .type = ParamType::text, .default_note = "the file's name",
     .what = "a name for the run", .note = "names the generated arch"},
    {.path = "architecture_presets.ArrayHeight", .type = ParamType::integer, .unit = "PEs", .lo = 1,
     .hi = kMaxArraySide, .what = "a PE count", .note = "systolic.rows; decimal digits only, as SCALE-Sim reads it"},
    {.path = "architecture_presets.ArrayWidth", .type = ParamType::integer, .unit = "PEs", .lo = 1,
     .hi = kMaxArraySide, .what = "a PE count", .note = "systolic.cols"},
    {.path = "architecture_presets.IfmapSramSzkB", .unit = "KiB", .lo = 1, .hi = kMaxScaleSimSramKb,
     .what = "a size in kB", .note = "sram.ifmap_kib"},
    {.path = "architecture_presets.FilterSramSzkB", .unit = "KiB", .lo = 1, .hi = kMaxScaleSimSramKb,
     .what = "a size in kB", .note = "sram.weight_kib"},
    {.path = "architecture_presets.OfmapSramSzkB", .unit = "KiB", .lo = 1, .hi = kMaxScaleSimSramKb,
     .what = "a size in kB", .note = "sram.ofmap_kib"},
    {.path = "architecture_presets.Dataflow", .type = ParamType::choice, .choices = "os|ws|is",
     .what = "dataflow", .note = "systolic.dataflow (any case)"},
    {.path = "architecture_presets.Bandwidth", .type = ParamType::integer, .unit = "words/cycle", .lo = 1,
     .hi = kMaxScaleSimBandwidth, .default_note = "the array's longer side", .what = "a bandwidth in words/cycle",
     .note = "sram.bytes_per_cycle; of a list (one per bank) the first"},
    {.path = "run_presets.InterfaceBandwidth", .type = ParamType::choice, .choices = "CALC|USER",
     .choice_default = "CALC", .what = "mode", .note = "catsim computes CALC-mode cycles either way (any case)"},
};

inline std::span<const Param> scalesim_params() { return kScaleSimParams; }

// The declaration of a cfg key: scalesim_param("architecture_presets.ArrayHeight"); an undeclared path does not
// compile.
consteval const Param& scalesim_param(std::string_view path) { return find_param(kScaleSimParams, path); }

}  // namespace catsim
