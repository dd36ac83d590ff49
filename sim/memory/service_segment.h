#pragma once
// A stretch of simulated time during which a memory served bytes at a constant total rate; the engine
// records DRAM's segments so traces show what the channels really served (never above peak).

#include <cstdint>

namespace catsim {

struct ServiceSegment {
  std::uint64_t start = 0, end = 0;  // cycles, [start, end)
  double bytes = 0;                  // served in the segment, all channels together
};

}  // namespace catsim
