#include "sim/compile/row_index.h"

#include <algorithm>

#include "arch/int_math.h"

namespace catsim {

RowIndex::RowIndex(std::int64_t rows, int cores)
    : m_rows(rows), m_bucket_rows(std::max<std::int64_t>(1, ceil_div(rows, kBuckets))), m_cores(cores) {
  m_last.assign(static_cast<std::size_t>(ceil_div(rows, m_bucket_rows) * cores), -1);
}

void RowIndex::add(std::int64_t r0, std::int64_t r1, int core, CommandId id) {
  if (r1 <= r0) return;
  for (std::int64_t b = r0 / m_bucket_rows; b <= (r1 - 1) / m_bucket_rows; ++b) {
    std::int64_t& last = m_last[static_cast<std::size_t>(b * m_cores + core)];
    last = std::max<std::int64_t>(last, id);
  }
}

void RowIndex::query(std::int64_t r0, std::int64_t r1, std::vector<CommandId>& out) const {
  r0 = std::max<std::int64_t>(r0, 0), r1 = std::min(r1, m_rows);
  if (r1 <= r0) return;
  std::vector<std::int64_t> last(static_cast<std::size_t>(m_cores), -1);
  for (std::int64_t b = r0 / m_bucket_rows; b <= (r1 - 1) / m_bucket_rows; ++b)
    for (int c = 0; c < m_cores; ++c) {
      std::int64_t& l = last[static_cast<std::size_t>(c)];
      l = std::max(l, m_last[static_cast<std::size_t>(b * m_cores + c)]);
    }
  for (std::int64_t id : last)
    if (id >= 0) out.push_back(static_cast<CommandId>(id));
}

}  // namespace catsim
