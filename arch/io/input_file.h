#pragma once
// Reads a user's input file whole, refusing what is not a regular file or is larger than any sane config,
// so a directory, /dev/zero or a multi-gigabyte file ends in a one-line ConfigError instead of a crash or hang.

#include <cstdint>
#include <string>

namespace catsim {

inline constexpr std::uintmax_t kMaxInputFileBytes = 16u << 20;  // 16 MiB

// The contents of `path`; ConfigError naming the path when it is missing, not a regular file, over
// kMaxInputFileBytes or unreadable.
std::string read_input_file(const std::string& path);

}  // namespace catsim
