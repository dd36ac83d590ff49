#pragma once
// Rounding to the array's number formats and the arithmetic of one MAC in them.
// The PE model and its reference GEMM share these, so both round exactly alike.

#include <bit>
#include <cstdint>

#include "arch/precision.h"

namespace catsim {

// IEEE 754 binary16, round to nearest even, with subnormals; overflow gives +-infinity.
double round_to_fp16(double x);

// bfloat16: x rounded to float, then the top 16 bits of that float rounded to nearest even.
double round_to_bf16(double x);

// The value x takes when stored in precision p. Integer formats round half to even and saturate
// to their range ([-128, 127] for int8, [-8, 7] for int4); callers normally pass integral values.
double quantize(double x, Precision p);

// Float formats: operands are held in float (fp16/bf16 values are exact in it), the product is
// rounded to float (exact for fp16 and normal bf16 operands), the sum is accumulated in fp32.
struct FloatArith {
  using Num = float;
  static Num from_double(double x) { return static_cast<Num>(x); }
  static double to_double(Num x) { return x; }
  static std::uint32_t bits(Num x) { return std::bit_cast<std::uint32_t>(x); }
  static Num add(Num acc, Num x) { return acc + x; }
  static Num mac(Num acc, Num a, Num b) {
    const Num product = a * b;  // a separate statement: ISO C++ mode does not contract it into an FMA
    return acc + product;
  }
};

// Integer formats: operands are held in int32, products and sums are int32 with two's-complement wrap.
struct IntArith {
  using Num = std::int32_t;
  static Num from_double(double x) { return static_cast<Num>(x); }
  static double to_double(Num x) { return x; }
  static std::uint32_t bits(Num x) { return static_cast<std::uint32_t>(x); }
  static Num add(Num acc, Num x) {
    return static_cast<Num>(static_cast<std::uint32_t>(acc) + static_cast<std::uint32_t>(x));
  }
  static Num mac(Num acc, Num a, Num b) {
    return add(acc, static_cast<Num>(static_cast<std::uint32_t>(a) * static_cast<std::uint32_t>(b)));
  }
};

}  // namespace catsim
