#pragma once
// Chooses a matmul's split and mappings by the time the engine gives the op run alone: each candidate is
// compiled into a program of its own (its inputs ready, the chip otherwise idle) by the compiler's own
// emitter and run on the event engine, which gives every command the SystemC model's cycles. The
// estimate only decides which candidates are run.

#include <cstdint>
#include <optional>

#include "sim/compile/core_split.h"
#include "sim/compile/program_builder.h"
#include "sim/event_prices.h"

namespace catsim {

// Which candidates the op timer runs through the engine, for each number of cores a split uses: every one
// when they come to at most kExhaustiveCommands commands together (each share offered fewer than
// kRankedMappings mappings: its whole space); otherwise the best-estimated mapping of each of the
// kTimedSplits best-estimated splits, then the best estimates of any split and mapping rank, up to
// kTimedCandidates. The estimate's own choice is always run.
inline constexpr std::uint64_t kExhaustiveCommands = 20'000;
inline constexpr int kRankedMappings = 128;
inline constexpr int kTimedSplits = 3;
inline constexpr int kTimedCandidates = 6;
// A candidate beyond this many commands (or, outside a small space, the commands of the estimate's choice
// among the splits over as many cores) is not run.
inline constexpr std::uint64_t kMaxTimedCommands = 200'000;

// How the compiler chooses a matmul's schedule: by the time the engine gives it alone (the cycle-level
// run), or by the estimate alone (the closed-form estimators: no candidate is run, about a hundredth of the
// time; the schedule may differ from the cycle-level run's, which `catsim validate` then counts as error).
enum class MapperChoice { engine_time, estimate };

// `op` (the op `context` is compiling, whose GEMM is `p`) compiled alone under `split`: its inputs ready,
// the chip otherwise idle, share j on core j.
Program program_alone(const ProgramBuilder& context, const Op& op, const GemmProblem& p, const GemmSplit& split);

// The cycles of `op` (the op `context` is compiling, whose GEMM is `p`) run alone under `split`, or nullopt
// once they are known to exceed `deadline`.
std::optional<std::uint64_t> time_alone(const ProgramBuilder& context, const Op& op, const GemmProblem& p,
                                        const GemmSplit& split, std::uint64_t deadline = ~std::uint64_t{0});

// A floor of time_alone(split): an array runs its commands one after another, so no share ends before its
// fold chain (the mapping's array_cycles, exact without a causal mask; under one the compiler skips tiles
// that the closed form only approximates, and the floor is 0). The chooser passes over a candidate whose
// floor exceeds the fastest time so far without compiling it.
std::uint64_t time_alone_floor(const GemmProblem& p, const GemmSplit& split);

// The best candidate by the arch's mapper.objective: the fastest by time_alone (latency; ties: the lower byte
// cost, then the lower estimate), or the lowest energy run alone at `prices` (energy), or energy x cycles
// (edp; energy and edp also run each group's candidates of the lowest byte cost). nullopt when no split
// fits; ConfigError when the objective needs `prices` and they are absent.
std::optional<GemmSplit> choose_timed_split(const ProgramBuilder& context, const Op& op, const GemmProblem& p,
                                            const EventPrices* prices = nullptr);

// choose_timed_split, or the estimate's choice (choose_gemm_split).
std::optional<GemmSplit> choose_split(const ProgramBuilder& context, const Op& op, const GemmProblem& p,
                                      MapperChoice choice, const EventPrices* prices = nullptr);

}  // namespace catsim
