#pragma once
// An allocator for a program's command array, the one large array a run fills element by element: a block of
// kHugeBlockBytes or more is mapped on its own, aligned to a huge page and marked for transparent huge pages,
// so filling it faults once per 2 MiB instead of once per 4 KiB page (on a virtual machine a page fault costs
// microseconds: Llama-3-8B decode on datacenter compiles 77k commands, 7 MiB, and spent a third of its
// compile time in faults). Smaller blocks come from operator new; where the kernel declines huge pages
// (transparent huge pages off) the mapping behaves as ordinary memory.

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <new>

namespace catsim {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;  // x86-64 and AArch64 (4 KiB granule)
inline constexpr std::size_t kHugeBlockBytes = kHugePageBytes;

// Maps `bytes` (a multiple of kHugePageBytes) at a huge-page boundary; throws std::bad_alloc when the system
// has no memory for it.
inline void* map_huge_pages(std::size_t bytes) {
  const std::size_t span = bytes + kHugePageBytes;  // room to move the start to a boundary
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const std::size_t tail = start + span - (aligned + bytes);
  if (tail > 0) munmap(reinterpret_cast<void*>(aligned + bytes), tail);
  madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);  // a hint: refused, the block still works
  return reinterpret_cast<void*>(aligned);
}

template <class T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}

  static std::size_t mapped_bytes(std::size_t n) {
    return (n * sizeof(T) + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  }

  T* allocate(std::size_t n) {
    if (n > SIZE_MAX / 2 / sizeof(T)) throw std::bad_array_new_length();
    if (n * sizeof(T) < kHugeBlockBytes) return static_cast<T*>(::operator new(n * sizeof(T)));
    return static_cast<T*>(map_huge_pages(mapped_bytes(n)));
  }

  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kHugeBlockBytes)
      ::operator delete(p);
    else
      munmap(p, mapped_bytes(n));
  }

  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace catsim
