#pragma once
// What "MACs per PE per cycle" may be, and the integer factors behind it: a rate p > 1 packs p
// reduction elements into a PE per cycle; p = 1/s stretches every streamed element over s cycles.

#include <cstdint>

namespace catsim {

// True if p is an integer >= 1 or 1/s for an integer s >= 2 (the only rates an array can have).
bool valid_mac_rate(double macs_per_pe_per_cycle);

struct MacRate {
  std::int64_t pack;     // K elements per PE per cycle (>= 1)
  std::int64_t stretch;  // cycles per streamed element (>= 1)
};
// p = pack / stretch with one of them equal to 1; throws std::invalid_argument if p is not valid.
MacRate mac_rate_factors(double macs_per_pe_per_cycle);

}  // namespace catsim
