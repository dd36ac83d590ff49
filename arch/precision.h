#pragma once
// Numeric formats an accelerator can compute in, and the storage size of each.
// Every byte count in catsim (SRAM capacity, DMA, DRAM traffic) goes through element_bytes().

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace catsim {

enum class Precision { fp32, fp16, bf16, int8, int4 };

inline constexpr Precision kAllPrecisions[] = {Precision::fp32, Precision::fp16, Precision::bf16,
                                               Precision::int8, Precision::int4};

constexpr int bits_of(Precision p) {
  switch (p) {
    case Precision::fp32: return 32;
    case Precision::fp16: return 16;
    case Precision::bf16: return 16;
    case Precision::int8: return 8;
    case Precision::int4: return 4;
  }
  return 0;
}

constexpr bool is_integer(Precision p) { return p == Precision::int8 || p == Precision::int4; }

// Bytes needed to store `elements` values; INT4 packs two values per byte (rounded up).
constexpr std::uint64_t element_bytes(Precision p, std::uint64_t elements) {
  return (elements * static_cast<std::uint64_t>(bits_of(p)) + 7) / 8;
}

constexpr std::string_view name_of(Precision p) {
  switch (p) {
    case Precision::fp32: return "fp32";
    case Precision::fp16: return "fp16";
    case Precision::bf16: return "bf16";
    case Precision::int8: return "int8";
    case Precision::int4: return "int4";
  }
  return "?";
}

inline std::optional<Precision> parse_precision(std::string_view s) {
  for (Precision p : kAllPrecisions)
    if (name_of(p) == s) return p;
  return std::nullopt;
}

inline constexpr std::string_view kPrecisionChoices = "fp32|fp16|bf16|int8|int4";

}  // namespace catsim
