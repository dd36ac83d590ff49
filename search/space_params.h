#pragma once
// Every key of a search-space file, declared once (type, unit, range, default, meaning). The space parser
// reads through these declarations and `catsim help space` prints them as the reference in docs/search.md.

#include <span>

#include "arch/config/param.h"

namespace catsim {

inline constexpr Param kSpaceParams[] = {
    {.path = "name", .type = ParamType::text, .default_note = "the file's name", .note = "label"},
    {.path = "arch", .type = ParamType::text, .what = "a shipped arch name or a path relative to the space file",
     .note = "the base design: a shipped name (`configs/arch/NAME.yaml`) or a path relative to the space file"},
    {.path = "model", .type = ParamType::text, .what = "a shipped model name or a path relative to the space file",
     .note = "the base model: a shipped name (`configs/models/NAME.yaml`) or a path relative to the space file"},
    {.path = "fixed", .type = ParamType::map, .default_note = "none",
     .note = "a map of `arch.KEY` / `model.KEY` (`--set` paths) to values applied to every point"},
    {.path = "carbon", .type = ParamType::map, .default_note = "the arch's",
     .note = "the arch's `carbon:` block (embodied, operational, deployment), applied to every point"},
    {.path = "metric", .type = ParamType::choice, .choices = "carbon|latency|energy|all|all-hw",
     .choice_default = "all", .note = "what the search minimizes besides the accuracy it maximizes; `all-hw`: "
                                      "hardware only, the model fixed (`--metric` replaces it)"},
    {.path = "parameters.KEY", .type = ParamType::map, .default_note = "required",
     .note = "a `--set` path that varies: `arch.KEY` (any arch key) or `model.pruning.KEY` (`layers`, `heads`, "
             "`kv_heads`, `ffn`, `hidden`; `model.pruning.text.KEY` / `vision.KEY` for CLIP); its values a list of "
             "choices `[a, b, c]` or an integer range (the keys below)"},
    {.path = "parameters.KEY.from", .type = ParamType::integer, .lo = -1e18, .hi = 1e18, .what = "first value",
     .note = "a range's first value"},
    {.path = "parameters.KEY.to", .type = ParamType::integer, .lo = -1e18, .hi = 1e18,
     .what = "last value (inclusive)", .note = "a range's last value (included)"},
    {.path = "parameters.KEY.step", .type = ParamType::text, .default_note = "1",
     .note = "`N` adds N, `xN` multiplies by N"},
    {.path = "parameters.KEY.block", .type = ParamType::integer, .lo = 1, .hi = 1 << 30, .default_note = "1",
     .what = "dims per block (the value counts blocks)", .note = "a pruning range counted in blocks of this many dims"},
    {.path = "parameters.KEY.blocks", .type = ParamType::integer, .lo = 1, .hi = 1 << 20, .default_note = "none",
     .what = "blocks the original dimension is split into",
     .note = "a pruning range counted in blocks: the unpruned dimension split into this many (CATransformers' "
             "convention)"},
    {.path = "constraints.max_latency_s", .unit = "s", .lo = 0, .hi = 1e300, .lo_open = true,
     .default_note = "none", .what = "latency bound, s", .note = "latency bound"},
    {.path = "constraints.max_area_mm2", .unit = "mm²", .lo = 0, .hi = 1e300, .lo_open = true,
     .default_note = "none", .what = "die area bound, mm2", .note = "die area bound (feasibility stage)"},
    {.path = "constraints.max_tops", .unit = "TOPS", .lo = 0, .hi = 1e300, .lo_open = true, .default_note = "none",
     .what = "peak TOPS bound (2 ops per MAC)", .note = "peak throughput bound, 2 ops per MAC (feasibility stage)"},
    {.path = "constraints.max_power_w", .unit = "W", .lo = 0, .hi = 1e300, .lo_open = true, .default_note = "none",
     .what = "average power bound, W", .note = "average power of the run"},
    {.path = "constraints.min_accuracy", .unit = "the accuracy's", .lo = 0, .hi = 1e300, .lo_open = true,
     .default_note = "none", .what = "accuracy floor", .note = "accuracy floor (needs an accuracy source)"},
    {.path = "accuracy.source", .type = ParamType::choice, .choices = "table|command|proxy",
     .default_note = "required unless `all-hw`", .note = "where a shape's accuracy comes from"},
    {.path = "accuracy.file", .type = ParamType::text, .default_note = "required for `table`",
     .what = "CSV of measured accuracies", .note = "`table`: the CSV, relative to the space file"},
    {.path = "accuracy.nearest", .type = ParamType::flag, .default_note = "false",
     .note = "`table`: a shape without a row takes the nearest row's accuracy"},
    {.path = "accuracy.as_space", .type = ParamType::flag, .default_note = "false",
     .note = "`table`: the table's rows are the model space"},
    {.path = "accuracy.command", .type = ParamType::text, .default_note = "required for `command`",
     .what = "shell command printing the accuracy on its last line; {layers} etc. are replaced",
     .note = "`command`: a shell command printing the accuracy on its last line; `{layers}` etc. are replaced"},
    {.path = "accuracy.timeout_s", .unit = "s", .lo = 0, .hi = 1e7, .lo_open = true, .value_default = 3600,
     .what = "seconds per shape", .note = "`command`: time limit per shape"},
    {.path = "screen.estimator", .type = ParamType::choice, .choices = "roofline|sequential",
     .choice_default = "roofline",
     .note = "with `screen:` present: the analytical estimate run before each simulation"},
    {.path = "screen.latency_margin", .lo = 0, .hi = 100, .lo_open = true, .value_default = 0.1,
     .what = "fraction above max_latency_s an estimate may reach",
     .note = "a point whose estimate exceeds `max_latency_s` × (1 + margin) is dropped without a cycle-level run "
             "(stage `screen`); needs `constraints.max_latency_s`"},
    {.path = "optimizer.name", .type = ParamType::choice, .choices = "grid|random|nsga2|bilevel",
     .choice_default = "grid"},
    {.path = "optimizer.population", .type = ParamType::integer, .unit = "points", .lo = 8, .hi = 100'000,
     .value_default = 40, .what = "NSGA-II individuals per generation",
     .note = "NSGA-II's population (a multiple of 4)"},
    {.path = "optimizer.outer", .type = ParamType::choice, .choices = "grid|random", .choice_default = "grid",
     .note = "`bilevel`: the order over model shapes"},
    {.path = "optimizer.inner", .type = ParamType::choice, .choices = "grid|random", .choice_default = "grid",
     .note = "`bilevel`: the order over hardware"},
    {.path = "optimizer.inner_points", .type = ParamType::integer, .unit = "points", .lo = 0, .hi = 1e9,
     .value_default = 0, .what = "hardware points per shape (0 = all)"},
    {.path = "budget.points", .type = ParamType::integer, .unit = "points", .lo = 1, .hi = 1e9,
     .default_note = "the whole space", .what = "points to evaluate",
     .note = "distinct points to evaluate (required for `random` and `nsga2`)"},
    {.path = "budget.wall_s", .unit = "s", .lo = 0, .hi = 1e9, .lo_open = true, .default_note = "none",
     .what = "wall-clock seconds", .note = "stop proposing points after this wall time"},
    {.path = "seed", .type = ParamType::integer, .lo = 0, .hi = 1e18, .value_default = 1, .what = "random seed",
     .note = "seed of `random`, NSGA-II and `bilevel`'s random orders"},
    {.path = "workers", .type = ParamType::integer, .unit = "processes", .lo = 0, .hi = 4096, .value_default = 0,
     .what = "worker processes (0 = cores)", .note = "worker processes, 0 = one per core (`--workers` replaces it)"},
    {.path = "timeout_s", .unit = "s", .lo = 0, .hi = 1e7, .lo_open = true, .value_default = 300,
     .what = "seconds per point", .note = "per point: a point running longer is killed and recorded as failed"},
    {.path = "fidelity", .type = ParamType::choice, .choices = "cycle|analytic|roofline|sequential",
     .choice_default = "cycle",
     .note = "how every point is timed: `cycle` (the engine), `analytic` (= `roofline`) or `sequential` (the "
             "closed-form estimates of docs/analytic.md, about a hundredth of the time)"},
};

consteval const Param& space_param(std::string_view path) { return find_param(kSpaceParams, path); }

inline std::span<const Param> space_params() { return kSpaceParams; }

}  // namespace catsim
