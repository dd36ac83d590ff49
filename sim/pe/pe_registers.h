#pragma once
// The pieces every PE-array engine shares: the wavefront token the controller emits, the operand
// register that carries it through the PEs, and the skew delay line that feeds the array edges.

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "arch/dataflow.h"
#include "sim/systolic/fold_timing.h"

namespace catsim {

inline constexpr int kMaxPack = 8;  // most MACs per PE per cycle the PE model supports

// One fold placement: which PE-row fold and PE-column fold of the operands the array holds, and which
// streamed elements it runs ([elem_lo, elem_hi); elem_hi < 0: the whole stream). A fold placed again
// for a later part of the stream adds onto its earlier results.
struct FoldRef {
  std::int64_t row_fold = 0, col_fold = 0;
  std::int64_t elem_lo = 0, elem_hi = -1;
};

// How one engine runs: array, timing convention, the integer factors of the MAC rate, and the order in
// which the folds run (empty: row folds outer, column folds inner).
struct EngineSetup {
  ArrayShape array;
  ArrayTiming timing;
  MacRate rate;
  std::vector<FoldRef> order;
};

// The fold order an engine runs: `order` when given, else every fold, row folds outer.
inline std::vector<FoldRef> fold_sequence(const std::vector<FoldRef>& order, std::int64_t row_folds,
                                          std::int64_t col_folds) {
  if (!order.empty()) return order;
  std::vector<FoldRef> out;
  for (std::int64_t r = 0; r < row_folds; ++r)
    for (std::int64_t c = 0; c < col_folds; ++c) out.push_back({r, c});
  return out;
}

// A broken invariant of the register model (a hazard the controller should have prevented).
inline void pe_require(bool ok, const char* what) {
  if (!ok) throw std::logic_error(std::string("PE model hazard: ") + what);
}

// One slot of a fold's stream. A streamed element lasts `stretch` slots; its MAC completes in the last.
struct StreamToken {
  bool valid = false;     // a wavefront passes (data or, for OS, the final flush)
  bool data = false;      // carries operands to multiply (false for the OS flush wave)
  int fold = 0;           // fold index, row folds outer, column folds inner
  std::int64_t elem = 0;  // streamed element, 0 .. T-1
  std::int64_t slot = 0;  // 0 .. stretch-1
  bool head = false;      // the placement's first slot (a placement may start mid-stream)

  bool first() const { return valid && head; }
};

// A streamed operand register: the token plus the packed operand values it carries.
template <class Num>
struct Operand {
  StreamToken tag;
  std::array<Num, kMaxPack> v{};
};

// The triangular skew buffer at an array edge: port d sees what the controller emitted d cycles ago.
template <class Token>
class SkewLine {
 public:
  explicit SkewLine(int ports) : m_history(static_cast<std::size_t>(ports) + 1) {}

  void push(std::int64_t cycle, const Token& token) { m_history[index(cycle)] = token; }
  Token at(std::int64_t cycle, int delay) const {
    return cycle - delay < 0 ? Token{} : m_history[index(cycle - delay)];
  }

 private:
  std::size_t index(std::int64_t cycle) const { return static_cast<std::size_t>(cycle) % m_history.size(); }
  std::vector<Token> m_history;
};

}  // namespace catsim
