#pragma once
// Number formatting shared by the terminal reports: thousands separators and binary byte units.

#include <cstdint>
#include <string>

namespace catsim {

std::string with_commas(std::uint64_t v);
std::string human_bytes(std::uint64_t bytes);  // e.g. "1.50 MiB"

}  // namespace catsim
