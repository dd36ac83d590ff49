#pragma once
// Heap memory mapped in advance, before the SystemC module loads. libsystemc's static initialiser allocates and
// zeroes a 3 MiB table (768 page faults of 4 KiB, a fifth of a small run's whole process on a paravirtualized
// VM); landing in memory already mapped, it costs no fault.

#include <cstddef>

namespace catsim {

// The heap a simulation run fills before its engine starts: the compiler's program and the op timer's candidate
// programs, and libsystemc's table. BERT-base on edge_npu faults 1,776 pages in the whole process without a
// warm-up and 365 with it; on catransformers_baseline with four cores, half this much leaves 1,100. A larger
// run faults in the rest as before.
inline constexpr std::size_t kRunHeapBytes = std::size_t{16} << 20;

// Leaves at least `bytes` of free heap populated in one system call (MADV_POPULATE_WRITE, Linux 5.14; on a
// VM each page fault exits to the hypervisor), backed by huge pages where the kernel grants them, and keeps
// blocks of up to 32 MiB on the heap from then on, as glibc's own adaptive threshold ends up doing after the
// first large free: a large allocation reuses mapped memory instead of faulting fresh pages in. An older
// kernel refuses the call, and the pages fault in when first written, as they did without it.
void warm_heap(std::size_t bytes);

}  // namespace catsim
