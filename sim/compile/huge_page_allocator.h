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
  // Address space only: a page is backed when first written (a reserved but unused tail costs nothing).
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const std::size_t tail = start + span - (aligned + bytes);
  if (tail > 0) munmap(reinterpret_cast<void*>(aligned + bytes), tail);
  madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);  // a hint: refused, the block still works
  return reinterpret_cast<void*>(aligned);
}

// Blocks of huge pages a thread freed, kept mapped for its next allocation of the same size: the op timer
// compiles one candidate program after another, and each would otherwise fault in fresh pages, which the
// kernel zeroes on first touch, and unmap them again. A cached block keeps the pages its last owner touched;
// at most kCachedBlocks blocks and kCachedBytes bytes of address space stay cached, and the least recently
// freed block is unmapped first.
class HugeBlockCache {
 public:
  static constexpr std::size_t kCachedBlocks = 4;
  static constexpr std::size_t kCachedBytes = std::size_t{4} << 30;

  static HugeBlockCache& local() {
    thread_local HugeBlockCache cache;
    return cache;
  }

  HugeBlockCache() = default;
  HugeBlockCache(const HugeBlockCache&) = delete;
  HugeBlockCache& operator=(const HugeBlockCache&) = delete;
  ~HugeBlockCache() {
    for (std::size_t i = 0; i < m_count; ++i) munmap(m_blocks[i].at, m_blocks[i].bytes);
  }

  // A block of `bytes` (a multiple of kHugePageBytes): a cached one of that size, else a fresh mapping.
  void* take(std::size_t bytes) {
    for (std::size_t i = m_count; i-- > 0;)
      if (m_blocks[i].bytes == bytes) {
        void* at = m_blocks[i].at;
        drop(i);
        return at;
      }
    return map_huge_pages(bytes);
  }

  // Keeps the block for a later take() when it fits the cache's limits (evicting the oldest), else unmaps it.
  void give(void* at, std::size_t bytes) noexcept {
    if (bytes > kCachedBytes) {
      munmap(at, bytes);
      return;
    }
    while (m_count > 0 && (m_count == kCachedBlocks || m_bytes + bytes > kCachedBytes)) {
      munmap(m_blocks[0].at, m_blocks[0].bytes);
      drop(0);
    }
    m_blocks[m_count++] = {at, bytes};
    m_bytes += bytes;
  }

  std::size_t cached_blocks() const { return m_count; }

 private:
  struct Block {
    void* at;
    std::size_t bytes;
  };
  void drop(std::size_t i) {
    m_bytes -= m_blocks[i].bytes;
    for (std::size_t j = i + 1; j < m_count; ++j) m_blocks[j - 1] = m_blocks[j];
    --m_count;
  }

  Block m_blocks[kCachedBlocks] = {};
  std::size_t m_count = 0, m_bytes = 0;
};

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
    return static_cast<T*>(HugeBlockCache::local().take(mapped_bytes(n)));
  }

  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kHugeBlockBytes)
      ::operator delete(p);
    else
      HugeBlockCache::local().give(p, mapped_bytes(n));
  }

  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace catsim
