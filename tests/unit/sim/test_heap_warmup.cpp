// The heap prepared before the SystemC module loads: an allocation of the size it was warmed for lands on
// the heap (memory already mapped), not in a fresh mmap whose pages fault in one by one.

#include <gtest/gtest.h>

#include <malloc.h>

#include <cstdlib>

#include "sim/engine/heap_warmup.h"

namespace catsim {
namespace {

TEST(HeapWarmup, AnAllocationOfTheWarmedSizeLandsOnTheHeap) {
  constexpr std::size_t kTable = std::size_t{3} << 20;
  warm_heap(kTable);
  const struct mallinfo2 before = ::mallinfo2();
  void* table = std::malloc(kTable);
  ASSERT_NE(table, nullptr);
  const struct mallinfo2 after = ::mallinfo2();
  EXPECT_EQ(after.hblkhd, before.hblkhd) << "the block was mmapped";  // bytes in mmapped blocks
  std::free(table);
}

}  // namespace
}  // namespace catsim
