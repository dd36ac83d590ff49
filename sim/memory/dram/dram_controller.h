#pragma once
// A DRAM channel at command level: one controller in front of one rank of banks. Requests are bursts at
// byte addresses; the controller decodes each address (row, bank group, bank, column) by an address mapping,
// and issues PRE, ACT, RD and WR commands, one per clock, each at the first clock every JEDEC constraint of
// the device allows (tRCD, tRP, tRAS, tRC, tRRD_S/L, tFAW, tCCD_S/L, tWTR_S/L, tRTP, tWR, CL, CWL, the
// data bus), with all-bank refresh every tREFI blocking the banks for tRFC.
//
// Reads and writes queue apart; writes drain in batches between two watermarks. Within the queue being
// served, scheduling is FR-FCFS: among the commands the queued requests need next, the one that can issue first
// goes; at the same clock a row hit's column command goes before older requests' ACT or PRE, and a row
// that still has queued hits is not closed — unless the oldest request has been passed over `hit_cap`
// times. Open page keeps a row open after its accesses; closed page precharges it as soon as no queued
// request hits it (an auto-precharge). Time is counted in clocks of tCK; events are per command, not per
// clock.

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arch/dram_device.h"

namespace catsim {

// Address fields from the most significant to the least, two letters each: Ro row, Bg bank group, Ba bank
// (with no Bg field, its low bits select the group, so consecutive banks alternate groups), Co column
// (in bursts), Ch channel. E.g. "RoBaCoCh" (rows outermost: a sequential stream fills a row, then moves to
// the next bank) or "RoCoBaCh" (consecutive bursts in different banks).
struct AddressMapping {
  std::string order = "RoBaCoBgCh";
  int channels = 1;
};

struct DramPolicy {
  AddressMapping mapping;  // default: consecutive bursts alternate bank groups, then fill a row
  bool open_page = true;
  int hit_cap = 16;  // row hits that may pass the oldest request of its queue
  // Writes wait in their own queue and are drained in batches: from write_high queued writes down to
  // write_low (or whenever no read is waiting), so the bus turns around once per batch, not per write.
  int write_high = 24, write_low = 8;
};

struct DramRequest {
  std::uint64_t address = 0;  // bytes
  bool write = false;
  std::uint64_t arrival = 0;  // clock at which the controller sees it
};

// Where an address lands.
struct DramCoordinates {
  int channel = 0, bank_group = 0, bank = 0;  // bank: 0 .. banks-1 over all groups
  std::int64_t row = 0, column = 0;           // column in bursts
};

// Counts of one run, the inputs of the power model.
struct DramStats {
  std::uint64_t activates = 0, precharges = 0, reads = 0, writes = 0, refreshes = 0;
  std::uint64_t row_hits = 0, row_misses = 0, row_conflicts = 0;  // per request: open on its row, closed, other row
  std::uint64_t turnarounds = 0;  // the data bus switching between reads and writes
  std::uint64_t open_cycles = 0;  // clocks with at least one bank open (background current IDD3N, else IDD2N)
  std::uint64_t end = 0;          // clock the last data beat left the bus
};

// Decodes addresses (bytes) for `device` under `mapping`, its fields parsed once; the constructor throws
// std::invalid_argument for a malformed order.
class AddressDecoder {
 public:
  AddressDecoder(const DramDevice& device, const AddressMapping& mapping);
  DramCoordinates decode(std::uint64_t address) const;

 private:
  enum class Field { channel, column, bank, group, row };
  // Field `f` ("Ro", "Bg", "Ba", "Co", "Ch") and its size; std::invalid_argument for another name.
  static std::pair<Field, std::uint64_t> field(const DramDevice& d, const AddressMapping& m, const std::string& f,
                                               bool has_group);
  std::vector<std::pair<Field, std::uint64_t>> m_fields;  // least significant first, with their sizes
  std::uint64_t m_burst_bytes;
  std::int64_t m_banks_per_group;
  int m_bank_groups;
  bool m_has_group = false;
};

// One address decoded (an AddressDecoder built for it).
DramCoordinates decode_address(const DramDevice& device, const AddressMapping& mapping, std::uint64_t address);

class DramController {
 public:
  // Requests the scheduler sees at once (the controller's queue); later ones wait their turn.
  static constexpr int kQueueDepth = 32;

  DramController(const DramDevice& device, DramPolicy policy);

  // Queues a request (arrivals in non-decreasing order); returns its index.
  std::size_t enqueue(const DramRequest& r);
  // Serves every queued request.
  void drain();
  // Clock at which request i's last data beat left the bus (after drain()).
  std::uint64_t completion(std::size_t i) const { return m_done[i]; }
  DramStats stats() const;

 private:
  enum class Command { pre, act, rd, wr };
  struct Bank {
    std::int64_t open_row = -1;
    std::uint64_t opened = 0;        // clock of the last ACT
    std::uint64_t next_act = 0;      // tRP after PRE, tRC after ACT, tRFC after REF
    std::uint64_t next_column = 0;   // tRCD after ACT
    std::uint64_t next_pre = 0;      // tRAS after ACT, tRTP after RD, tWR after write data
  };
  struct Pending {
    std::size_t index;
    DramCoordinates at;
    bool write;
    std::uint64_t arrival;
    int kind = -1;  // 0 hit, 1 miss, 2 conflict: set when its first command issues
  };

  std::uint64_t now() const;  // the first clock the next command may use
  int queue_class();          // 0: serve reads, 1: serve (drain) writes
  Command next_command(const Pending& p) const;
  std::uint64_t earliest(const Pending& p, Command c) const;
  void issue(Pending& p, Command c, std::uint64_t t);
  void refresh(std::uint64_t t);
  void skip_idle_refreshes(std::uint64_t until);
  // Whether a request that has arrived by `now` (and is in the queue's window) hits `row` of `bank`.
  bool row_has_hits(int bank, std::int64_t row, std::uint64_t now) const;
  void close(int bank, std::uint64_t t);

  DramDevice m_device;
  DramPolicy m_policy;
  std::vector<Bank> m_banks;
  std::deque<Pending> m_queues[2];  // reads, writes; each in arrival order
  std::vector<std::uint64_t> m_done;
  using Moment = std::optional<std::uint64_t>;  // the clock of an event, once it has happened
  struct GroupMoments {                          // per bank group: its last ACT, column command, write data end
    Moment act, column, write_end;
  };
  std::array<Moment, 4> m_acts{};  // the last four ACTs (tFAW), oldest first
  std::vector<GroupMoments> m_groups;
  Moment m_last_act, m_last_column, m_last_read, m_write_end, m_last_command;
  std::uint64_t m_bus_free = 0;  // the data bus carries nothing from this clock on
  bool m_bus_read = true;        // the last burst on the bus was a read
  AddressDecoder m_decoder;
  std::uint64_t m_next_refresh;
  int m_passed[2] = {0, 0};  // per queue: times its oldest request was passed over
  bool m_draining = false;   // writes are being drained
  std::vector<std::pair<std::uint64_t, std::uint64_t>> m_open;  // [ACT, PRE) of every row opened
  DramStats m_stats;
};

}  // namespace catsim
