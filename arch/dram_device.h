#pragma once
// One DRAM part as its datasheet states it: organization, JEDEC timing parameters in clock cycles of tCK,
// and the IDD currents of each supply rail. The bank-level controller (dram_controller.h) times commands
// from it and the power model (dram_power.h) prices them the DRAMPower way. Loaded from
// configs/tech/dram_devices.yaml (carbon/tech/dram_devices.h), where each part names its source.

#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace catsim {

struct DramOrganization {
  int bank_groups = 1;       // DDR4/HBM2 group banks; 1 where the standard has no groups
  int banks_per_group = 8;
  std::int64_t rows = 1;     // per bank
  std::int64_t columns = 1;  // per row, each device_width bits wide
  int device_width = 8;      // DQ bits per device
  int devices = 1;           // devices side by side in a rank: the channel is device_width x devices bits
  int burst_length = 8;      // beats per column access
  int data_rate = 2;         // beats per clock

  int banks() const { return bank_groups * banks_per_group; }
  // Bytes one column access (a burst) moves on the channel.
  std::uint64_t burst_bytes() const {
    return static_cast<std::uint64_t>(device_width) * static_cast<std::uint64_t>(devices) *
           static_cast<std::uint64_t>(burst_length) / 8;
  }
  // Bytes of one open row across the rank: the row buffer a stream can hit.
  std::uint64_t row_bytes() const {
    return static_cast<std::uint64_t>(columns) * static_cast<std::uint64_t>(device_width) *
           static_cast<std::uint64_t>(devices) / 8;
  }
  int burst_cycles() const { return burst_length / data_rate; }  // clocks a burst holds the data bus
  bool operator==(const DramOrganization&) const = default;
};

// JEDEC timing parameters, in clocks of tCK. _s / _l: to a different / the same bank group.
struct DramTiming {
  int rcd = 1;  // ACT to RD/WR
  int rp = 1;   // PRE to ACT
  int cl = 1;   // RD to first data
  int cwl = 1;  // WR to first data
  int ras = 1;  // ACT to PRE
  int rc = 1;   // ACT to ACT, same bank
  int rrd_s = 1, rrd_l = 1;  // ACT to ACT, other bank
  int faw = 1;  // window holding at most four ACTs
  int ccd_s = 1, ccd_l = 1;  // RD to RD (WR to WR)
  int wtr_s = 1, wtr_l = 1;  // end of write data to RD
  int rtp = 1;  // RD to PRE
  int rtw = 1;  // RD to WR: the read's data, the bus turnaround and the write preamble (per standard)
  int wr = 1;   // end of write data to PRE (write recovery)
  int refi = 1;   // between all-bank refreshes
  int rfc = 1;    // an all-bank refresh blocks every bank
  bool operator==(const DramTiming&) const = default;
};

// One supply rail's currents per device, in amperes (DRAMPower's inputs). idd0: one bank activated and
// precharged every tRC; idd2n / idd3n: standby with all banks precharged / a bank open; idd4r / idd4w:
// bursting reads / writes; idd5b: refreshing.
struct DramRail {
  std::string name;
  double volts = 0;
  double idd0 = 0, idd2n = 0, idd3n = 0, idd4r = 0, idd4w = 0, idd5b = 0;
  bool operator==(const DramRail&) const = default;
};

struct DramDevice {
  std::string name;      // e.g. ddr4-2400
  std::string standard;  // DDR3, DDR4, LPDDR4, HBM2
  std::string source;    // where the figures come from
  double tck_ns = 1;
  DramOrganization org;
  DramTiming timing;
  std::vector<DramRail> rails;  // empty: no datasheet currents in the shipped data

  // Peak data rate of one channel, bytes per ns.
  double peak_bytes_per_ns() const { return static_cast<double>(org.burst_bytes()) / (org.burst_cycles() * tck_ns); }
  bool operator==(const DramDevice&) const = default;
};

// How fast a channel of the part serves a mix of concurrent sequential streams (sim/memory/dram/stream_profile.h).
struct StreamMix {
  // Bursts x burst clocks over the clocks they took after the first access, refreshes taken out, times
  // 1 - tRFC / tREFI.
  double efficiency = 1;
  double activates_per_burst = 0;  // ACTs (each later closed by a PRE) per burst, past each stream's first row
  double open_share = 1;           // of the clocks it took, those with a row open in some bank (IDD3N, else IDD2N)
};

// The mixes measured so far for one part, by (read streams, write streams). The arch holds it (DramSpec::mixes)
// so that every engine run of a process — the op timer's thousands and the engine module's — shares it.
struct DramMixTable {
  std::mutex mutex;
  std::map<std::pair<int, int>, StreamMix> mixes;  // entries stay where they are once measured
};

// Parts working side by side to give `channels` channels of `bandwidth_gbps` in all (GB/s = bytes per ns): each
// channel as many whole parts as its share needs at the part's peak, at least one. A banked DRAM's standby and
// refresh energy scale with it.
inline double parts_side_by_side(double bandwidth_gbps, int channels, const DramDevice& part) {
  const double per_channel = std::ceil(bandwidth_gbps / channels / part.peak_bytes_per_ns() - 1e-9);
  return channels * (per_channel > 1 ? per_channel : 1.0);
}

}  // namespace catsim
