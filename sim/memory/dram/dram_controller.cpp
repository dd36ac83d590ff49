#include "sim/memory/dram/dram_controller.h"

#include <algorithm>
#include <stdexcept>

namespace catsim {
namespace {

using DramClock = std::int64_t;

}  // namespace

std::pair<AddressDecoder::Field, std::uint64_t> AddressDecoder::field(const DramDevice& d, const AddressMapping& m,
                                                                      const std::string& f, bool has_group) {
  if (f == "Ch") return {Field::channel, static_cast<std::uint64_t>(m.channels)};
  if (f == "Co")
    return {Field::column, static_cast<std::uint64_t>(std::max<std::int64_t>(1, d.org.columns / d.org.burst_length))};
  if (f == "Ba") return {Field::bank, static_cast<std::uint64_t>(has_group ? d.org.banks_per_group : d.org.banks())};
  if (f == "Bg") return {Field::group, static_cast<std::uint64_t>(d.org.bank_groups)};
  if (f == "Ro") return {Field::row, static_cast<std::uint64_t>(d.org.rows)};
  throw std::invalid_argument("address mapping '" + m.order + "': unknown field '" + f +
                              "' (expected Ro, Bg, Ba, Co, Ch)");
}

AddressDecoder::AddressDecoder(const DramDevice& device, const AddressMapping& mapping)
    : m_burst_bytes(device.org.burst_bytes()), m_banks_per_group(device.org.banks_per_group),
      m_bank_groups(device.org.bank_groups) {
  const std::string& s = mapping.order;
  if (mapping.channels < 1) throw std::invalid_argument("address mapping: channels must be at least 1");
  if (s.size() % 2 != 0) throw std::invalid_argument("address mapping '" + s + "': fields are two letters each");
  std::vector<std::string> fields;
  for (std::size_t i = 0; i < s.size(); i += 2) fields.push_back(s.substr(i, 2));
  m_has_group = std::find(fields.begin(), fields.end(), "Bg") != fields.end();
  for (const char* needed : {"Ro", "Ba", "Co"})
    if (std::find(fields.begin(), fields.end(), needed) == fields.end())
      throw std::invalid_argument("address mapping '" + s + "': no '" + needed + "' field");
  if (mapping.channels > 1 && std::find(fields.begin(), fields.end(), "Ch") == fields.end())
    throw std::invalid_argument("address mapping '" + s + "': no 'Ch' field for " + std::to_string(mapping.channels) +
                                " channels");
  for (auto it = fields.rbegin(); it != fields.rend(); ++it) {  // least significant first
    if (std::count(fields.begin(), fields.end(), *it) != 1)
      throw std::invalid_argument("address mapping '" + s + "': field '" + *it + "' appears twice");
    m_fields.push_back(field(device, mapping, *it, m_has_group));
  }
}

DramCoordinates AddressDecoder::decode(std::uint64_t address) const {
  std::uint64_t rest = address / m_burst_bytes;
  DramCoordinates c;
  std::int64_t bank = 0, group = 0;
  for (const auto& [field, size] : m_fields) {
    const auto value = static_cast<std::int64_t>(rest % size);
    rest /= size;
    switch (field) {
      case Field::channel: c.channel = static_cast<int>(value); break;
      case Field::column: c.column = value; break;
      case Field::bank: bank = value; break;
      case Field::group: group = value; break;
      case Field::row: c.row = value; break;
    }
  }
  if (m_has_group) {
    c.bank_group = static_cast<int>(group);
    c.bank = static_cast<int>(group * m_banks_per_group + bank);
  } else {
    c.bank = static_cast<int>(bank);
    c.bank_group = static_cast<int>(bank % m_bank_groups);
  }
  return c;
}

DramCoordinates decode_address(const DramDevice& device, const AddressMapping& mapping, std::uint64_t address) {
  return AddressDecoder(device, mapping).decode(address);
}

DramController::DramController(const DramDevice& device, DramPolicy policy)
    : m_device(device),
      m_policy(std::move(policy)),
      m_banks(static_cast<std::size_t>(device.org.banks())),
      m_groups(static_cast<std::size_t>(device.org.bank_groups)),
      m_decoder(device, m_policy.mapping),  // a malformed mapping fails here, not mid-run
      m_next_refresh(static_cast<std::uint64_t>(device.timing.refi)) {}

std::size_t DramController::enqueue(const DramRequest& r) {
  m_queues[r.write ? 1 : 0].push_back({m_done.size(), m_decoder.decode(r.address), r.write, r.arrival});
  m_done.push_back(0);
  return m_done.size() - 1;
}

bool DramController::row_has_hits(int bank, std::int64_t row, std::uint64_t now) const {
  for (const std::deque<Pending>& queue : m_queues) {
    const auto end = queue.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(queue.size(), kQueueDepth));
    for (auto it = queue.begin(); it != end; ++it)
      if (it->at.bank == bank && it->at.row == row && it->arrival <= now) return true;
  }
  return false;
}

DramController::Command DramController::next_command(const Pending& p) const {
  const Bank& b = m_banks[static_cast<std::size_t>(p.at.bank)];
  if (b.open_row == p.at.row) return p.write ? Command::wr : Command::rd;
  return b.open_row < 0 ? Command::act : Command::pre;
}

std::uint64_t DramController::earliest(const Pending& p, Command c) const {
  const DramTiming& t = m_device.timing;
  const Bank& b = m_banks[static_cast<std::size_t>(p.at.bank)];
  const auto g = static_cast<std::size_t>(p.at.bank_group);
  DramClock at = static_cast<DramClock>(std::max(p.arrival, now()));
  auto after = [&](const Moment& when, int gap) {
    if (when) at = std::max(at, static_cast<DramClock>(*when) + gap);
  };
  switch (c) {
    case Command::pre:
      at = std::max(at, static_cast<DramClock>(b.next_pre));
      break;
    case Command::act:
      at = std::max(at, static_cast<DramClock>(b.next_act));
      after(m_last_act, t.rrd_s);
      after(m_groups[g].act, t.rrd_l);
      after(m_acts[0], t.faw);
      break;
    case Command::rd:
    case Command::wr: {
      at = std::max(at, static_cast<DramClock>(b.next_column));
      after(m_last_column, t.ccd_s);
      after(m_groups[g].column, t.ccd_l);
      after(m_bus_free, -(c == Command::rd ? t.cl : t.cwl));  // its data starts when the bus is free
      if (c == Command::rd) {
        after(m_write_end, t.wtr_s);
        after(m_groups[g].write_end, t.wtr_l);
      } else {
        after(m_last_read, t.rtw);  // and the bus has turned around from the last read
      }
      break;
    }
  }
  return static_cast<std::uint64_t>(std::max<DramClock>(at, 0));
}

void DramController::close(int bank, std::uint64_t t) {
  Bank& b = m_banks[static_cast<std::size_t>(bank)];
  m_open.emplace_back(b.opened, t);
  b.open_row = -1;
  b.next_act = std::max(b.next_act, t + static_cast<std::uint64_t>(m_device.timing.rp));
  ++m_stats.precharges;
}

void DramController::refresh(std::uint64_t due) {
  std::uint64_t ready = std::max(due, now());
  for (std::size_t i = 0; i < m_banks.size(); ++i) {
    Bank& b = m_banks[i];
    if (b.open_row >= 0) close(static_cast<int>(i), std::max(due, b.next_pre));
    ready = std::max(ready, b.next_act);  // every bank precharged (tRP after its PRE)
  }
  for (Bank& b : m_banks) b.next_act = ready + static_cast<std::uint64_t>(m_device.timing.rfc);
  m_last_command = ready;
  ++m_stats.refreshes;
  m_next_refresh += static_cast<std::uint64_t>(m_device.timing.refi);
}

void DramController::skip_idle_refreshes(std::uint64_t until) {
  // With every bank precharged and idle, the refreshes due before `until` each start on time: counted by
  // arithmetic, not one loop pass each (an idle gap of 10^9 clocks is 10^5 refreshes of DDR4).
  if (until < m_next_refresh) return;
  for (const Bank& b : m_banks)
    if (b.open_row >= 0 || b.next_act > m_next_refresh) return;
  if (now() > m_next_refresh) return;
  const auto refi = static_cast<std::uint64_t>(m_device.timing.refi);
  const std::uint64_t k = (until - m_next_refresh) / refi + 1, last = m_next_refresh + (k - 1) * refi;
  for (Bank& b : m_banks) b.next_act = last + static_cast<std::uint64_t>(m_device.timing.rfc);
  m_last_command = last;
  m_stats.refreshes += k;
  m_next_refresh += k * refi;
}

void DramController::issue(Pending& p, Command c, std::uint64_t t) {
  const DramTiming& tm = m_device.timing;
  Bank& b = m_banks[static_cast<std::size_t>(p.at.bank)];
  const auto g = static_cast<std::size_t>(p.at.bank_group);
  if (p.kind < 0) {
    p.kind = c == Command::pre ? 2 : c == Command::act ? 1 : 0;
    ++(p.kind == 0 ? m_stats.row_hits : p.kind == 1 ? m_stats.row_misses : m_stats.row_conflicts);
  }
  m_last_command = t;
  switch (c) {
    case Command::pre:
      close(p.at.bank, t);
      return;
    case Command::act:
      b.open_row = p.at.row;
      b.opened = t;
      b.next_act = t + static_cast<std::uint64_t>(tm.rc);
      b.next_column = t + static_cast<std::uint64_t>(tm.rcd);
      b.next_pre = t + static_cast<std::uint64_t>(tm.ras);
      m_last_act = m_groups[g].act = t;
      std::rotate(m_acts.begin(), m_acts.begin() + 1, m_acts.end());
      m_acts[3] = t;  // ACTs issue in clock order, so the four stay sorted
      ++m_stats.activates;
      return;
    case Command::rd:
    case Command::wr: {
      const auto burst = static_cast<std::uint64_t>(m_device.org.burst_cycles());
      const std::uint64_t start = t + static_cast<std::uint64_t>(c == Command::rd ? tm.cl : tm.cwl);
      m_bus_free = start + burst;
      if (m_last_column && m_bus_read != (c == Command::rd)) ++m_stats.turnarounds;
      m_bus_read = c == Command::rd;
      m_last_column = m_groups[g].column = t;
      if (c == Command::rd) {
        b.next_pre = std::max(b.next_pre, t + static_cast<std::uint64_t>(tm.rtp));
        m_last_read = t;
        ++m_stats.reads;
      } else {
        m_write_end = m_groups[g].write_end = m_bus_free;
        b.next_pre = std::max(b.next_pre, m_bus_free + static_cast<std::uint64_t>(tm.wr));
        ++m_stats.writes;
      }
      m_done[p.index] = m_bus_free;
      m_stats.end = std::max(m_stats.end, m_bus_free);
      return;
    }
  }
}

std::uint64_t DramController::now() const { return m_last_command ? *m_last_command + 1 : 0; }

int DramController::queue_class() {
  const std::uint64_t t = now();
  std::size_t writes = 0;  // arrived writes in the queue's window
  for (std::size_t i = 0; i < std::min<std::size_t>(m_queues[1].size(), static_cast<std::size_t>(kQueueDepth)); ++i)
    if (m_queues[1][i].arrival <= t) ++writes;
  if (writes >= static_cast<std::size_t>(m_policy.write_high)) m_draining = true;
  if (m_draining && writes <= static_cast<std::size_t>(m_policy.write_low)) m_draining = false;
  const bool reads = !m_queues[0].empty() && m_queues[0].front().arrival <= t;
  if (!reads && writes == 0) {  // nothing has arrived: the queue whose next request arrives first
    if (m_queues[1].empty()) return 0;
    return m_queues[0].empty() || m_queues[1].front().arrival < m_queues[0].front().arrival ? 1 : 0;
  }
  if (writes > 0 && (m_draining || !reads)) return 1;  // drain, or write while no read waits
  return 0;
}

void DramController::drain() {
  while (!m_queues[0].empty() || !m_queues[1].empty()) {
    const int cls = queue_class();
    std::deque<Pending>& queue = m_queues[cls];
    const std::size_t window = std::min<std::size_t>(queue.size(), static_cast<std::size_t>(kQueueDepth));
    const bool only_oldest = m_passed[cls] >= m_policy.hit_cap;
    std::size_t best = window;
    Command best_command = Command::pre;
    std::uint64_t best_time = 0;
    const std::uint64_t current = now();
    const bool arrived = queue.front().arrival <= current;  // then only arrived requests are candidates
    auto candidate = queue.cbegin();
    for (std::size_t i = 0; i < (only_oldest ? 1 : window); ++i, ++candidate) {
      const Pending& p = *candidate;
      if (arrived && p.arrival > current) break;  // the queue is in arrival order
      const Command c = next_command(p);
      const std::uint64_t t = earliest(p, c);
      // A row that queued requests still hit stays open (unless the oldest has waited long enough).
      if (c == Command::pre && !only_oldest &&
          row_has_hits(p.at.bank, m_banks[static_cast<std::size_t>(p.at.bank)].open_row, t))
        continue;
      const bool column = c == Command::rd || c == Command::wr;
      const bool best_column = best_command == Command::rd || best_command == Command::wr;
      if (best == window || t < best_time || (t == best_time && column && !best_column)) {
        best = i;
        best_command = c;
        best_time = t;
      }
    }
    if (best == window) {  // every candidate would close a row others still hit: serve the oldest anyway
      best = 0;
      best_command = next_command(queue[0]);
      best_time = earliest(queue[0], best_command);
    }
    // A refresh that is due goes first; a column command to a row already open may postpone it, as JEDEC
    // allows, by up to 8 intervals (so a row opened just before a refresh gets its access).
    const bool column = best_command == Command::rd || best_command == Command::wr;
    const auto refi = static_cast<std::uint64_t>(m_device.timing.refi);
    if (best_time >= m_next_refresh && !(column && best_time < m_next_refresh + 8 * refi)) {
      refresh(m_next_refresh);
      skip_idle_refreshes(best_time);
      continue;
    }
    Pending& p = queue[best];
    issue(p, best_command, best_time);
    if (best_command == Command::rd || best_command == Command::wr) {
      const int bank = p.at.bank;
      const std::int64_t row = p.at.row;
      m_passed[cls] = best == 0 ? 0 : m_passed[cls] + 1;
      queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(best));
      if (!m_policy.open_page && !row_has_hits(bank, row, best_time))  // closed page: an auto-precharge
        close(bank, m_banks[static_cast<std::size_t>(bank)].next_pre);
    }
  }
}

DramStats DramController::stats() const {
  DramStats s = m_stats;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> spans = m_open;
  for (const Bank& b : m_banks)
    if (b.open_row >= 0) spans.emplace_back(b.opened, std::max(b.opened, s.end));
  std::sort(spans.begin(), spans.end());
  std::uint64_t covered = 0, reach = 0;
  for (const auto& [from, to] : spans) {
    const std::uint64_t begin = std::max(from, reach);
    if (to > begin) covered += to - begin;
    reach = std::max(reach, to);
  }
  s.open_cycles = covered;
  return s;
}

}  // namespace catsim
