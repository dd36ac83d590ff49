#include "carbon/area/sram_layout.h"

#include <algorithm>

namespace catsim {

namespace {

constexpr double kDefaultPortBytes = 64;  // CACTI sweep port, 512 bits

double port_or_default(double bytes) {
  return bytes > 0 ? bytes : kDefaultPortBytes;
}

bool is_split(const SramSpec& s) {
  return s.ifmap_kib || s.weight_kib || s.ofmap_kib;
}

}  // namespace

std::vector<SramBuffer> sram_buffers(const ArchSpec& arch) {
  const SramSpec& s = arch.sram;
  std::vector<SramBuffer> out;
  double port = port_or_default(s.bytes_per_cycle);
  if (is_split(s)) {
    double used = 0;
    for (auto [name, kib] :
         {std::pair{"ifmap", s.ifmap_kib}, {"weight", s.weight_kib}, {"ofmap", s.ofmap_kib}}) {
      if (!kib || *kib <= 0) continue;
      out.push_back({name, *kib * 1024, port, arch.cores});
      used += *kib;
    }
    if (s.kib > used) out.push_back({"scratchpad", (s.kib - used) * 1024, port, arch.cores});
  } else if (s.kib > 0) {
    int banks = std::max(1, s.banks);
    out.push_back({"scratchpad", s.kib * 1024 / banks, std::max(1.0, port / banks), arch.cores * banks});
  }
  if (s.global_kib > 0)
    out.push_back({"global", s.global_kib * 1024, port_or_default(s.global_bytes_per_cycle), 1});
  return out;
}

SramBuffer buffer_for(const ArchSpec& arch, const std::string& name) {
  auto buffers = sram_buffers(arch);
  auto find = [&](const std::string& n) {
    return std::find_if(buffers.begin(), buffers.end(), [&](const SramBuffer& b) { return b.name == n; });
  };
  if (auto it = find(name); it != buffers.end()) return *it;
  if (name == "global") return {"global", 0, kDefaultPortBytes, 0};
  if (auto it = find("scratchpad"); it != buffers.end()) return *it;
  if (!buffers.empty()) return buffers.front();
  return {"scratchpad", 0, kDefaultPortBytes, 0};
}

}  // namespace catsim
