#pragma once
// Chooses a matmul's split and mappings by the time the engine gives the op run alone: each candidate is
// compiled into a program of its own (its inputs ready, the chip otherwise idle) by the compiler's own
// emitter and run on the event engine, which gives every command the SystemC model's cycles. The
// estimate only decides which candidates are run.

#include <cstdint>
#include <optional>

#include "sim/compile/core_split.h"
#include "sim/compile/program_builder.h"

namespace catsim {

// How many candidates the op timer runs through the engine, and how many ranked mappings each share offers.
inline constexpr int kTimedCandidates = 8;
inline constexpr int kMappingVariants = 3;
// A candidate beyond this many commands (or twice the estimate's choice) is not run.
inline constexpr std::uint64_t kMaxTimedCommands = 200'000;

// The cycles of `op` (the op `context` is compiling, whose GEMM is `p`) run alone under `split`.
std::uint64_t time_alone(const ProgramBuilder& context, const Op& op, const GemmProblem& p, const GemmSplit& split);

// The fastest candidate by time_alone (ties: the lower byte cost, then the lower estimate), or nullopt when
// no split fits.
std::optional<GemmSplit> choose_timed_split(const ProgramBuilder& context, const Op& op, const GemmProblem& p);

}  // namespace catsim
