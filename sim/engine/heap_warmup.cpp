#include "sim/engine/heap_warmup.h"

#include <malloc.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

namespace catsim {
namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kSlack = std::size_t{64} << 10;  // malloc's headers, and a page either end
constexpr int kMmapThreshold = 32 << 20;  // glibc's largest adaptive mmap threshold on 64-bit
constexpr int kTrimThreshold = 64 << 20;  // twice it, as glibc pairs them

}  // namespace

void warm_heap(std::size_t bytes) {
  ::mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  ::mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
  const std::size_t region = bytes + kSlack;
  if (region >= static_cast<std::size_t>(kMmapThreshold)) return;
  char* block = static_cast<char*>(std::malloc(region));
  if (!block) return;
  // The whole block, page by page: the next allocation of `bytes` is carved from its start once it is free.
  const auto start = reinterpret_cast<std::uintptr_t>(block);
  const std::uintptr_t first = (start + kPage - 1) & ~(kPage - 1);
  const std::uintptr_t last = (start + region) & ~(kPage - 1);
  void* pages = reinterpret_cast<void*>(first);
  ::madvise(pages, last - first, MADV_HUGEPAGE);  // a hint for the 2 MiB-aligned part: refused, no matter
  ::madvise(pages, last - first, MADV_POPULATE_WRITE);  // refused before Linux 5.14: the table then faults as before
  std::free(block);  // back to the heap's top, which stays mapped below the trim threshold
}

}  // namespace catsim
