#include "sim/engine/heap_warmup.h"

#include <malloc.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

namespace catsim {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr int kMmapThreshold = 32 << 20;  // glibc's largest adaptive mmap threshold on 64-bit
constexpr int kTrimThreshold = 64 << 20;  // twice it, as glibc pairs them

}  // namespace

void warm_heap(std::size_t bytes) {
  ::mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  ::mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
  const std::size_t region = bytes + 2 * kHugePage;
  if (region >= static_cast<std::size_t>(kMmapThreshold)) return;
  char* block = static_cast<char*>(std::malloc(region));
  if (!block) return;
  const auto start = reinterpret_cast<std::uintptr_t>(block);
  const std::uintptr_t first = (start + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t last = (start + region) & ~(kHugePage - 1);
  if (last > first) {
    void* interior = reinterpret_cast<void*>(first);
    ::madvise(interior, last - first, MADV_HUGEPAGE);  // a hint: refused, the pages are ordinary ones
    if (::madvise(interior, last - first, MADV_POPULATE_WRITE) != 0)  // before Linux 5.14: one write per page
      for (std::uintptr_t page = first; page < last; page += 4096) *reinterpret_cast<volatile char*>(page) = 0;
  }
  std::free(block);  // back to the heap's top, which stays mapped below the trim threshold
}

}  // namespace catsim
