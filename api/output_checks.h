#pragma once
// The output boundary of the command line: every number printed must be finite and non-negative (an
// internal failure otherwise, never `inf` in a table or `null` in JSON), and stdout must really be written.

#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace catsim {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;     // a bug or an unexpected failure inside catsim
inline constexpr int kExitBadInput = 2;     // a config, model, option or --set value was rejected
inline constexpr int kExitWriteFailed = 4;  // stdout or an output file could not be written completely
// catsim validate --tolerance X: a latency MAPE above X.
inline constexpr int kExitToleranceExceeded = 3;

// Throws std::logic_error naming the first number in `j` (as a JSON path) that is not finite or negative.
// Numbers under a key of `signed_keys` (signed errors) must be finite and may be negative.
void require_finite_output(const nlohmann::json& j, const std::string& what,
                           const std::set<std::string>& signed_keys = {});

// Flushes stdout; false (with errno set) when any earlier or final write to it failed.
bool flush_stdout();

}  // namespace catsim
