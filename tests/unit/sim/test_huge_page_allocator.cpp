// The command array's allocator: blocks of 2 MiB and more are mapped at huge-page boundaries, and a freed one is
// kept for the next allocation of its size, so one candidate program after another reuses the same pages.

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/compile/huge_page_allocator.h"

namespace catsim {
namespace {

TEST(HugePageAllocator, AFreedBlockIsTheNextBlockOfItsSize) {
  HugeBlockCache cache;
  void* first = cache.take(kHugePageBytes);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(first) % kHugePageBytes, 0u);
  static_cast<char*>(first)[kHugePageBytes - 1] = 1;  // mapped and writable to its end
  cache.give(first, kHugePageBytes);
  EXPECT_EQ(cache.cached_blocks(), 1u);
  void* other_size = cache.take(2 * kHugePageBytes);
  EXPECT_NE(other_size, first);
  EXPECT_EQ(cache.cached_blocks(), 1u);  // a block of another size is not handed out
  EXPECT_EQ(cache.take(kHugePageBytes), first);
  EXPECT_EQ(cache.cached_blocks(), 0u);
  cache.give(first, kHugePageBytes);
  cache.give(other_size, 2 * kHugePageBytes);
}

TEST(HugePageAllocator, TheCacheKeepsTheMostRecentBlocksWithinItsLimits) {
  HugeBlockCache cache;
  std::vector<void*> blocks;
  for (std::size_t i = 0; i <= HugeBlockCache::kCachedBlocks; ++i) blocks.push_back(cache.take(kHugePageBytes));
  for (void* b : blocks) cache.give(b, kHugePageBytes);
  EXPECT_EQ(cache.cached_blocks(), HugeBlockCache::kCachedBlocks);  // the first block freed was unmapped
  EXPECT_EQ(cache.take(kHugePageBytes), blocks.back());             // the most recent comes back first
  // Larger than the byte limit: unmapped at once, and the cached blocks stay.
  void* huge = cache.take(HugeBlockCache::kCachedBytes + kHugePageBytes);
  cache.give(huge, HugeBlockCache::kCachedBytes + kHugePageBytes);
  EXPECT_EQ(cache.cached_blocks(), HugeBlockCache::kCachedBlocks - 1);
}

TEST(HugePageAllocator, AVectorGrowingPastAHugePageKeepsItsElements) {
  // 2 MiB of 8-byte elements and one more: the vector moves from operator new's memory to a mapped block.
  const std::size_t n = kHugePageBytes / sizeof(std::uint64_t) + 1;
  std::vector<std::uint64_t, HugePageAllocator<std::uint64_t>> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(i * 3);
  for (std::size_t i = 0; i < n; i += 4097) ASSERT_EQ(v[i], i * 3);
  EXPECT_EQ(v.back(), (n - 1) * 3);
}

}  // namespace
}  // namespace catsim
