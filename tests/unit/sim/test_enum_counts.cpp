// EnumCounts: indexing by enum, sums, equality, and the visit order and names that reports and JSON use
// (every key in enum order, or only the non-zero ones); the counts stay plain memory (cheap to copy).
#include <gtest/gtest.h>

#include <string>
#include <type_traits>

#include "sim/event_counts.h"

namespace catsim {
namespace {

static_assert(std::is_trivially_copyable_v<VectorOpCounts>);
static_assert(std::is_trivially_copyable_v<EventCounts>);

std::string listed(const SramByteCounts& c, bool nonzero_only) {
  std::string s;
  auto add = [&](SramBufferKind, std::string_view name, std::uint64_t n) {
    s += std::string(name) + "=" + std::to_string(n) + " ";
  };
  if (nonzero_only) c.for_each_nonzero(add);
  else c.for_each(add);
  return s;
}

TEST(EnumCounts, IndexSumAndVisitInEnumOrder) {
  SramByteCounts a;
  a[SramBufferKind::ofmap] = 7;
  a[SramBufferKind::ifmap] += 3;
  EXPECT_EQ(a[SramBufferKind::weight], 0u);
  EXPECT_EQ(a.total(), 10u);
  EXPECT_EQ(listed(a, false), "ifmap=3 weight=0 ofmap=7 vector=0 global=0 ");
  EXPECT_EQ(listed(a, true), "ifmap=3 ofmap=7 ");
  SramByteCounts b;
  b[SramBufferKind::global] = 5;
  b[SramBufferKind::ofmap] = 1;
  a += b;
  EXPECT_EQ(listed(a, true), "ifmap=3 ofmap=8 global=5 ");  // 7 + 1 = 8
  EXPECT_NE(a, b);
  b += a;  // b = {ofmap 1 + 8, global 5 + 5, ifmap 3}
  EXPECT_EQ(listed(b, true), "ifmap=3 ofmap=9 global=10 ");
}

TEST(EnumCounts, NamesComeFromTheKeyTables) {
  MacCounts macs;
  macs[Precision::int4] = 2;
  macs[Precision::fp32] = 1;
  std::string s;
  macs.for_each_nonzero([&](Precision, std::string_view n, std::uint64_t) { s += std::string(n) + " "; });
  EXPECT_EQ(s, "fp32 int4 ");
  VectorOpCounts ops;
  for (const char* kind : kVectorOps) ops[*parse_vector_op(kind)] += 1;
  std::string names;
  ops.for_each([&](VectorOp, std::string_view n, std::uint64_t v) {
    names += std::string(n) + std::to_string(v) + " ";
  });
  EXPECT_EQ(names, "add1 mul1 max1 sum1 exp1 div1 rsqrt1 gelu1 silu1 tanh1 ");
  EXPECT_FALSE(parse_vector_op("softplus"));
}

}  // namespace
}  // namespace catsim
