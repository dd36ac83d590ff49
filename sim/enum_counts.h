#pragma once
// Counters indexed by an enum, kept in a fixed array: MACs by precision, SRAM bytes by buffer and vector
// element ops by kind copy as plain memory (no heap, no tree), so per-op results are cheap to build and copy.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace catsim {

// E is an enum class whose values are 0 .. N-1; name_of(E), found by argument-dependent lookup, names a
// key for reports and JSON. Entries are visited in enum order.
template <typename E, std::size_t N>
class EnumCounts {
 public:
  static constexpr std::size_t kSize = N;

  std::uint64_t& operator[](E e) { return m_values[index(e)]; }
  std::uint64_t operator[](E e) const { return m_values[index(e)]; }

  EnumCounts& operator+=(const EnumCounts& o) {
    for (std::size_t i = 0; i < N; ++i) m_values[i] += o.m_values[i];
    return *this;
  }
  bool operator==(const EnumCounts&) const = default;

  std::uint64_t total() const {
    std::uint64_t s = 0;
    for (std::uint64_t v : m_values) s += v;
    return s;
  }

  // f(key, name, count) for every key, zero counts included.
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < N; ++i) f(static_cast<E>(i), name_of(static_cast<E>(i)), m_values[i]);
  }
  // f(key, name, count) for the keys with a non-zero count.
  template <typename F>
  void for_each_nonzero(F&& f) const {
    for (std::size_t i = 0; i < N; ++i)
      if (m_values[i] != 0) f(static_cast<E>(i), name_of(static_cast<E>(i)), m_values[i]);
  }

 private:
  static constexpr std::size_t index(E e) { return static_cast<std::size_t>(e); }

  std::array<std::uint64_t, N> m_values{};
};

}  // namespace catsim
