#pragma once
// Which GEMM operand stays in the PEs (the dataflow) and how consecutive folds are timed.
// Shared by the compiler, the closed-form fold timing and the PE-level reference model.

#include <optional>
#include <string_view>

namespace catsim {

enum class Dataflow { os, ws, is };
enum class ArrayTiming { pipelined, scalesim };

constexpr std::string_view name_of(Dataflow d) {
  switch (d) {
    case Dataflow::os: return "os";
    case Dataflow::ws: return "ws";
    case Dataflow::is: return "is";
  }
  return "?";
}

constexpr std::string_view name_of(ArrayTiming t) {
  return t == ArrayTiming::pipelined ? "pipelined" : "scalesim";
}

inline std::optional<Dataflow> parse_dataflow(std::string_view s) {
  if (s == "os") return Dataflow::os;
  if (s == "ws") return Dataflow::ws;
  if (s == "is") return Dataflow::is;
  return std::nullopt;
}

inline std::optional<ArrayTiming> parse_timing(std::string_view s) {
  if (s == "pipelined") return ArrayTiming::pipelined;
  if (s == "scalesim") return ArrayTiming::scalesim;
  return std::nullopt;
}

}  // namespace catsim
