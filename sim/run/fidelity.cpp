#include "sim/run/fidelity.h"

namespace catsim {

std::string_view name_of(Fidelity f) {
  switch (f) {
    case Fidelity::cycle: return "cycle";
    case Fidelity::roofline: return "roofline";
    case Fidelity::sequential: return "sequential";
  }
  return "?";
}

std::optional<Fidelity> parse_fidelity(std::string_view name) {
  if (name == "cycle") return Fidelity::cycle;
  if (name == "analytic" || name == "roofline") return Fidelity::roofline;
  if (name == "sequential") return Fidelity::sequential;
  return std::nullopt;
}

}  // namespace catsim
