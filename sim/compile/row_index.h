#pragma once
// Which store commands wrote which rows of an op's output, so that a consumer tile waits only for the
// producer tiles it reads (DESIGN.md: dependencies between ops are per tile). Rows are grouped into at
// most kBuckets buckets; a bucket keeps, per core that stored into it, the last store that touched it (a
// core's store engine runs in program order, so waiting for its last one waits for all earlier ones).
// Memory grows with the stores, not with the core count.

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/compile/program.h"

namespace catsim {

class RowIndex {
 public:
  static constexpr std::int64_t kBuckets = 256;

  RowIndex() = default;
  explicit RowIndex(std::int64_t rows);

  bool empty() const { return m_rows == 0; }
  std::int64_t rows() const { return m_rows; }
  // Store `id` on `core` wrote rows [r0, r1).
  void add(std::int64_t r0, std::int64_t r1, int core, CommandId id);
  // Appends the stores a reader of rows [r0, r1) waits for (at most one per core).
  void query(std::int64_t r0, std::int64_t r1, CommandDeps& out) const;

 private:
  std::int64_t m_rows = 0, m_bucket_rows = 1;
  std::vector<std::vector<std::pair<int, CommandId>>> m_last;  // per bucket: (core, last store)
};

}  // namespace catsim
