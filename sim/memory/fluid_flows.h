#pragma once
// Times every DMA transfer against DRAM, the global buffer and the scratchpad ports, as fluid flows, with
// no simulation kernel of its own: the caller tells it the time of each call and asks when the next change
// is due. The SystemC model (MemorySystem) and the event engine (event_engine.h) drive the same code.
//
// The model (exact as stated; time advances only when a transfer starts or ends, or a window empties):
// - A transfer is cut into bursts of `dram.burst_bytes`, dealt round-robin over the memory's channels
//   (see MemoryChannels::split). Each channel serves the transfers queued on it round-robin per burst; in
//   the fluid limit that is an equal share of the channel per transfer. A transfer's bursts progress in
//   step on all its channels, so its rate is set by its busiest channel; it ends when that channel has
//   served its bytes.
// - Each core's scratchpad port (`sram.bytes_per_cycle`) is shared the same way by its load and store
//   DMA: a transfer's bytes pass through its core's port as well as through the memory's channels.
// - Shares are max-min fair (progressive filling) over channels, ports and each engine's window; they
//   are recomputed when a transfer starts or ends, never per burst or per cycle.
// - Window: a DMA engine keeps up to W = `dma.outstanding` requests of b bytes in flight. A request's
//   round trip is the latency L plus one burst on one channel, t_b = b / channel bandwidth, so in steady
//   state the engine moves at most c = W·b / (L + t_b) bytes per cycle. In the fluid limit the window is a
//   token bucket of rate c and depth c·L, full while the engine is idle: a transfer alone at bandwidth r
//   takes max(L + B/r, B/c) cycles, i.e. the latency is paid once per window of W requests when the
//   window is the limit, and once per transfer when bandwidth is.
// - Latency: a transfer's data starts flowing L cycles after its requests issue; the DMA engine waits the
//   latency before it calls start() (see DmaEngine), so back-to-back transfers pay L once.
// - Whole cycles: a transfer ends at the first whole cycle at or after its fluid finish, and shares are
//   recomputed on whole cycles. A window that empties between two cycles caps its transfer from that
//   instant; the share it frees goes to the others from the next whole cycle.
// - `dram.model: banked`: each DRAM channel serves at its peak times the share the part's bank-level controller
//   sustains for the mix of DRAM transfers in flight (r reads, w writes: dram/stream_profile.h), set whenever
//   the mix changes; the bursts served count that mix's row activations.

#include <cstdint>
#include <optional>
#include <vector>

#include "arch/arch_spec.h"
#include "sim/memory/dram/stream_profile.h"
#include "sim/memory/flow_solver.h"
#include "sim/memory/memory_channels.h"
#include "sim/memory/service_segment.h"

namespace catsim {

class FluidFlows {
 public:
  FluidFlows(const ArchSpec& arch, int cores, MemoryChannels& dram, MemoryChannels* global);

  // Registers a DMA engine of `core`; returns its requester id.
  int add_requester(int core);

  // Serves `bytes` between `memory` and the requester's scratchpad from cycle `now` on (the latency has
  // already elapsed); `write`: a store into memory. `tag` names the transfer in finished() once its last byte
  // is served.
  void start(std::uint64_t now, int requester, MemoryChannels& memory, std::uint64_t bytes, bool write, int tag);

  // `sram.array_port: shared`: while `core`'s array moves `bytes_per_cycle` through the scratchpad port, its
  // DMA engines share only what is left of it (0 when the array stops).
  void set_array_rate(std::uint64_t now, int core, double bytes_per_cycle);

  // Serves every transfer up to `now` and recomputes the shares: call it at next_change().
  void update(std::uint64_t now);

  // The cycle at which update() must run next (a transfer ends or a window empties), if any: set by every
  // call above.
  std::optional<std::uint64_t> next_change() const { return m_next; }

  // Tags of the transfers that ended in the calls since the last clear_finished(), in the order they ended.
  const std::vector<int>& finished() const { return m_finished; }
  void clear_finished() { m_finished.clear(); }  // keeps the buffer for the next ones

  const std::vector<ServiceSegment>& dram_service() const { return m_dram_service; }
  // Banked DRAM: row activations of the bursts served so far (0 for the other models).
  double dram_activates() const { return m_dram_activates; }
  // Banked DRAM: cycles up to `end` (the run's last) with a row open in some bank, by the mixes' open shares.
  double dram_open_cycles(std::uint64_t end) const;

 private:
  // The fluid state of one engine's window towards one memory.
  struct Window {
    double rate = 0, depth = 0, tokens = 0;  // c, c·L and the bytes the engine may still send above c
    std::uint64_t updated = 0;               // cycle of the last token update
  };
  struct Transfer {
    int requester = 0, memory = 0;  // memory: 0 DRAM, 1 global buffer
    double remaining = 0;           // bytes left on the busiest channel
    double bytes_per_unit = 1;      // transfer bytes per busiest-channel byte
    bool spans_all = true;          // spread evenly over every channel of its memory
    bool write = false;             // a store
    std::vector<ResourceUse> uses;  // its channels (or all_channels) and its core's port
    std::vector<ResourceUse>
        channel_uses;  // spans_all: every channel one by one, while a short transfer is active
    int tag = 0;
  };

  void advance(std::uint64_t now);  // serves every transfer at its rate from m_time to now
  void finish_done();               // retires the transfers with nothing left
  void solve_and_schedule(std::uint64_t now);
  const std::vector<ResourceUse>& uses_now(Transfer& t);
  Window& window(const Transfer& t) {
    return m_windows[static_cast<std::size_t>(t.requester) * 2 + static_cast<std::size_t>(t.memory)];
  }

  MemoryChannels& m_dram;
  MemoryChannels* m_global;
  int m_outstanding, m_burst_bytes;
  // Resources: DRAM channels [0, channels), DRAM's all_channels, the global buffer's channel and
  // all_channels, then one scratchpad port per core.
  int m_global_resource, m_port_resource;  // core c's port is m_port_resource + c
  double m_port_bytes_per_cycle;            // each core's scratchpad port
  int m_short_dram = 0;                    // active DRAM transfers that do not span every channel
  std::vector<int> m_requester_core;
  std::vector<Window> m_windows;  // [requester * 2 + memory]
  std::vector<Transfer> m_transfers;
  std::size_t m_active = 0;  // m_transfers[0, m_active) are in flight
  FlowSolver m_solver;
  std::vector<FlowDemand> m_demands;
  std::vector<double> m_rates;  // per active transfer, busiest-channel bytes per cycle
  std::uint64_t m_time = 0;     // cycle up to which transfers have been served
  std::optional<std::uint64_t> m_next;
  std::vector<int> m_finished;
  std::vector<ServiceSegment> m_dram_service;
  std::optional<DramStreamProfile> m_profile;  // banked DRAM: the part's stream mixes
  double m_channel_peak = 0;               // a DRAM channel's bytes per cycle at its peak
  double m_activates_per_byte = 0;         // banked: of the mix in flight
  double m_dram_activates = 0;
  double m_open_rate = 0;         // banked: rows open per cycle until the next change
  double m_dram_open_cycles = 0;  // banked: through m_time
  bool m_dram_touched = false;    // banked: a DRAM transfer has started
};

}  // namespace catsim
