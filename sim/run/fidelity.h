#pragma once
// How a design is timed: by the cycle-level engine, or by one of the closed-form estimators over the same
// tiling (sim/analytic), which a report, a sweep or a search may ask for instead.

#include <optional>
#include <string_view>

namespace catsim {

enum class Fidelity { cycle, roofline, sequential };

std::string_view name_of(Fidelity f);
// "cycle", "analytic" (= roofline), "roofline" or "sequential"; nullopt otherwise.
std::optional<Fidelity> parse_fidelity(std::string_view name);

}  // namespace catsim
