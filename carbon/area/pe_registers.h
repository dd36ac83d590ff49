#pragma once
// Register bits of one systolic PE, shared by the area model (storage) and the energy model (traffic).
// Accumulators are int32 for int8, int16 for int4 and fp32 for every float format, matching the MAC
// entries of configs/tech/logic.yaml.

#include <algorithm>

#include "arch/dataflow.h"
#include "arch/precision.h"

namespace catsim {

constexpr int accumulator_bits(Precision p) {
  switch (p) {
    case Precision::int4:
      return 16;
    case Precision::int8:
      return 32;
    default:
      return 32;
  }
}

// Bits clocked per MAC: the moving operands (both in OS; one in WS/IS, the other stays) plus the
// accumulator update (OS) or the travelling partial sum (WS/IS), both accumulator-wide.
constexpr int register_bits_per_mac(Precision p, Dataflow d) {
  int moving_operands = d == Dataflow::os ? 2 : 1;
  return moving_operands * bits_of(p) + accumulator_bits(p);
}

// Bits a PE stores for one precision: two operands and the accumulator, per MAC it does each cycle.
inline double register_storage_bits(Precision p, double macs_per_pe_per_cycle) {
  return (2.0 * bits_of(p) + accumulator_bits(p)) * std::max(1.0, macs_per_pe_per_cycle);
}

}  // namespace catsim
