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
// kTimedCandidates. The estimate's own choice is always run. (3 and 6 left the CATransformers grid with 199
// wrong-way steps, 6 and 9 with 112, in about 4 % more time.)
inline constexpr std::uint64_t kExhaustiveCommands = 20'000;
inline constexpr int kRankedMappings = 128;
inline constexpr int kTimedSplits = 6;
inline constexpr int kTimedCandidates = 9;
// A candidate beyond this many commands (or, outside a small space, kCommandsOverOwn times the commands of
// the estimate's choice among the splits over as many cores, or the op's part of the program's
// kMaxCommands where that is less and the estimate's choice stays within it) is not run. An array with half
// the rows and half the columns runs up to 4 times the folds, so the schedules of the smaller arrays that a
// larger one keeps as part-array folds stay within the limit (with the estimate's choice's commands as the
// limit, a 64-row array could not run the 32-row array's schedule: 4,608 commands against 2,368). A smaller
// scratchpad's candidates keep the estimate's choice's own count as their limit (or 1/kLadderShare of the
// op's part): with the wider limit there too, Llama-3-8B decode compiled 1,666 M instructions instead of
// 1,378 M (1,147 M before the wider limit).
inline constexpr std::uint64_t kCommandsOverOwn = 4;
inline constexpr std::uint64_t kMaxTimedCommands = 200'000;
// The candidates of a design with half the scratchpad, a quarter, ... are run too, down to a scratchpad that
// fits no mapping (at most this many halvings: 2^-40 of any scratchpad fits nothing).
inline constexpr int kScratchpadHalvings = 40;
// Under mapper.objective latency with timed memory, times within 1/kTieBand (0.05 %) of the fastest tie, and
// the lowest byte cost, then the fewest commands, among them wins: below what the timing model resolves, a
// few cycles are not worth more DRAM traffic (2048x4096x4096 FP16 on one datacenter core: 512 cycles of
// 2.1 M for twice the bytes) or hundreds of times the commands (a 1x1 array: 743 cycles of 174 M).
// Under ideal memory bytes cost nothing, and the fastest wins outright.
inline constexpr std::uint64_t kTieBand = 2048;

// The mapping spaces the op timer selects from: gemm_split_options of `arch`, then of the same design with
// half its scratchpad (each part of a split one too), a quarter, ... down to one that fits no mapping. A
// smaller scratchpad's space is not always part of a larger one's (it may stream shorter chunks, which a
// larger one has no need of), so each is selected from in its own right.
std::vector<std::vector<SplitOption>> scratchpad_ladder(const ArchSpec& arch, const GemmProblem& p);

// How the compiler chooses a matmul's schedule: by the time the engine gives it alone (the cycle-level
// run), or by the estimate alone (the closed-form estimators: no candidate is run, about a hundredth of the
// time; the schedule may differ from the cycle-level run's, which `catsim validate` then counts as error).
enum class MapperChoice { engine_time, estimate };

// `op` (the op `context` is compiling, whose GEMM is `p`) compiled alone under `split`: its inputs ready,
// the chip otherwise idle, share j on core j. With `siblings` > 1, the op and its next siblings - 1
// independent siblings (ProgramBuilder::sibling_count), each under `split`, on successive cores as the
// compiler places them.
Program program_alone(const ProgramBuilder& context, const Op& op, const GemmProblem& p, const GemmSplit& split,
                      int siblings = 1);

// The cycles of program_alone, or nullopt once they are known to exceed `deadline`.
std::optional<std::uint64_t> time_alone(const ProgramBuilder& context, const Op& op, const GemmProblem& p,
                                        const GemmSplit& split, std::uint64_t deadline = ~std::uint64_t{0},
                                        int siblings = 1);

// A floor of time_alone(split): an array runs its commands one after another, so no share ends before its
// fold chain (the mapping's array_cycles); with timed memory every byte a share moves passes its core's
// scratchpad port (sram.bytes_per_cycle), and every DRAM byte of all shares the DRAM's channels (its whole
// bandwidth); ideal memory moves bytes in no time. Exact bytes and fold chains hold without a causal mask; under one the compiler skips
// tiles that the closed form only approximates, and the floor is 0. With `siblings` ops, the chip's arrays
// and ports share all their work, and the DRAM all their bytes. The chooser passes over a candidate whose
// floor exceeds the slowest time that could still tie with the fastest so far, without compiling it.
std::uint64_t time_alone_floor(const ArchSpec& arch, const GemmProblem& p, const GemmSplit& split, int siblings = 1);

// The best candidate of the scratchpad ladder by the arch's mapper.objective: the fastest by time_alone
// (latency; within kTieBand of the fastest, the lowest byte cost, then the fewest commands), or the lowest
// energy run alone at `prices` (energy), or energy x cycles (edp; energy and edp also run each group's
// candidates of the lowest byte cost). Each candidate is timed with the op's `siblings` - 1 independent
// siblings (the ops that will run beside it), so the split may leave cores to them. nullopt when no split
// fits; ConfigError when the objective needs `prices` and they are absent.
std::optional<GemmSplit> choose_timed_split(const ProgramBuilder& context, const Op& op, const GemmProblem& p,
                                            const EventPrices* prices = nullptr, int siblings = 1);

// choose_timed_split, or the estimate's choice (choose_gemm_split, which does not see siblings).
std::optional<GemmSplit> choose_split(const ProgramBuilder& context, const Op& op, const GemmProblem& p,
                                      MapperChoice choice, const EventPrices* prices = nullptr, int siblings = 1);

}  // namespace catsim
