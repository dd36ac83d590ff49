#include "sim/compile/row_index.h"

#include <algorithm>
#include <map>

#include "arch/int_math.h"

namespace catsim {

RowIndex::RowIndex(std::int64_t rows)
    : m_rows(rows), m_bucket_rows(std::max<std::int64_t>(1, ceil_div(rows, kBuckets))) {
  m_last.resize(static_cast<std::size_t>(ceil_div(rows, m_bucket_rows)));
}

void RowIndex::add(std::int64_t r0, std::int64_t r1, int core, CommandId id) {
  if (r1 <= r0) return;
  for (std::int64_t b = r0 / m_bucket_rows; b <= (r1 - 1) / m_bucket_rows; ++b) {
    auto& bucket = m_last[static_cast<std::size_t>(b)];
    auto it = std::find_if(bucket.begin(), bucket.end(), [core](const auto& e) { return e.first == core; });
    if (it == bucket.end()) bucket.emplace_back(core, id);
    else it->second = std::max(it->second, id);
  }
}

void RowIndex::query(std::int64_t r0, std::int64_t r1, CommandDeps& out) const {
  r0 = std::max<std::int64_t>(r0, 0), r1 = std::min(r1, m_rows);
  if (r1 <= r0) return;
  std::map<int, CommandId> last;  // per core
  for (std::int64_t b = r0 / m_bucket_rows; b <= (r1 - 1) / m_bucket_rows; ++b)
    for (const auto& [core, id] : m_last[static_cast<std::size_t>(b)]) {
      auto [it, fresh] = last.emplace(core, id);
      if (!fresh) it->second = std::max(it->second, id);
    }
  for (const auto& [core, id] : last) out.push_back(id);
}

}  // namespace catsim
