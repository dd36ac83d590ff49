#pragma once
// Heap memory backed by transparent huge pages, laid out before the SystemC module loads. libsystemc's static
// initialiser allocates and zeroes a 3 MiB table (768 page faults of 4 KiB, a third of a small run's whole
// process on a paravirtualized VM); landing in memory already mapped by a few huge pages, it costs none.

#include <cstddef>

namespace catsim {

// Leaves at least `bytes` of free heap mapped by huge pages where the kernel grants them (THP `always` or
// `madvise`), and keeps blocks of up to 32 MiB on the heap from then on, as glibc's own adaptive threshold
// ends up doing after the first large free: a large allocation reuses mapped memory instead of faulting
// fresh pages in. Where huge pages are refused it touches one page per 2 MiB and nothing else changes.
void warm_heap(std::size_t bytes);

}  // namespace catsim
