#include "carbon/tech/dram_devices.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>

#include "carbon/data_params.h"
#include "carbon/tech/data_io.h"
#include "arch/config/yaml_snapshot.h"

namespace catsim {
namespace {

// Every timing key, and the field it sets.
constexpr std::pair<const char*, int DramTiming::*> kDramTimings[] = {
    {"rcd", &DramTiming::rcd},     {"rp", &DramTiming::rp},       {"cl", &DramTiming::cl},
    {"cwl", &DramTiming::cwl},     {"ras", &DramTiming::ras},     {"rc", &DramTiming::rc},
    {"rrd_s", &DramTiming::rrd_s}, {"rrd_l", &DramTiming::rrd_l}, {"faw", &DramTiming::faw},
    {"ccd_s", &DramTiming::ccd_s}, {"ccd_l", &DramTiming::ccd_l}, {"wtr_s", &DramTiming::wtr_s},
    {"wtr_l", &DramTiming::wtr_l}, {"rtp", &DramTiming::rtp},     {"rtw", &DramTiming::rtw},
    {"wr", &DramTiming::wr},       {"refi", &DramTiming::refi},   {"rfc", &DramTiming::rfc}};

DramOrganization read_dram_organization(const ConfigNode& n) {
  auto get = [&](const Param& p) { return n.read_int(p); };
  DramOrganization o;
  o.bank_groups = static_cast<int>(get(data_param("dram_devices.devices.NAME.organization.bank_groups")));
  o.banks_per_group = static_cast<int>(get(data_param("dram_devices.devices.NAME.organization.banks_per_group")));
  o.rows = get(data_param("dram_devices.devices.NAME.organization.rows"));
  o.columns = get(data_param("dram_devices.devices.NAME.organization.columns"));
  o.device_width = static_cast<int>(get(data_param("dram_devices.devices.NAME.organization.device_width")));
  o.devices = static_cast<int>(get(data_param("dram_devices.devices.NAME.organization.devices")));
  o.burst_length = static_cast<int>(get(data_param("dram_devices.devices.NAME.organization.burst_length")));
  o.data_rate = static_cast<int>(get(data_param("dram_devices.devices.NAME.organization.data_rate")));
  if (o.burst_length % o.data_rate != 0)
    n.fail("burst_length", "burst_length " + std::to_string(o.burst_length) + " is not a multiple of data_rate " +
                               std::to_string(o.data_rate));
  if (o.columns % o.burst_length != 0)
    n.fail("columns", "columns " + std::to_string(o.columns) + " is not a multiple of burst_length " +
                          std::to_string(o.burst_length));
  n.finish();
  return o;
}

DramTiming read_dram_timing(const ConfigNode& n) {
  const Param& p = data_param("dram_devices.devices.NAME.timing.TIMING");
  DramTiming t;
  for (const auto& [name, field] : kDramTimings) t.*field = static_cast<int>(n.read_int(p, name));
  if (t.rc < t.ras) n.fail("rc", "rc " + std::to_string(t.rc) + " is shorter than ras " + std::to_string(t.ras));
  if (t.refi <= t.rfc) n.fail("refi", "refi " + std::to_string(t.refi) + " does not exceed rfc " + std::to_string(t.rfc));
  n.finish();
  return t;
}

DramRail read_dram_rail(const ConfigNode& n) {
  DramRail r;
  r.name = n.read_text(data_param("dram_devices.devices.NAME.rails.name"));
  r.volts = n.read_number(data_param("dram_devices.devices.NAME.rails.volts"));
  r.idd0 = n.read_number(data_param("dram_devices.devices.NAME.rails.idd0"));
  r.idd2n = n.read_number(data_param("dram_devices.devices.NAME.rails.idd2n"));
  r.idd3n = n.read_number(data_param("dram_devices.devices.NAME.rails.idd3n"));
  r.idd4r = n.read_number(data_param("dram_devices.devices.NAME.rails.idd4r"));
  r.idd4w = n.read_number(data_param("dram_devices.devices.NAME.rails.idd4w"));
  r.idd5b = n.read_number(data_param("dram_devices.devices.NAME.rails.idd5b"));
  n.finish();
  return r;
}

}  // namespace

std::shared_ptr<const DramDevices> DramDevices::load(const std::string& file) {
  auto d = std::make_shared<DramDevices>();
  ConfigNode root = ConfigNode::load_file(file);
  ConfigNode sources = root.map("sources");
  for (const std::string& k : sources.keys()) d->m_sources[k] = sources.str(k, data_param("dram_devices.sources.NAME").what);
  ConfigNode devices = root.map("devices");
  for (const std::string& name : devices.keys()) {
    ConfigNode n = devices.map(name);
    DramDevice dev;
    dev.name = name;
    dev.standard = n.read_choice(data_param("dram_devices.devices.NAME.standard"));
    dev.source = n.read_text(data_param("dram_devices.devices.NAME.source"));
    if (!d->m_sources.count(dev.source)) n.fail("source", "'" + dev.source + "' is not a key of sources");
    dev.tck_ns = n.read_number(data_param("dram_devices.devices.NAME.tck_ns"));
    dev.org = read_dram_organization(n.map("organization"));
    dev.timing = read_dram_timing(n.map("timing"));
    for (const ConfigNode& r : n.list_of_maps("rails")) dev.rails.push_back(read_dram_rail(r));
    n.finish();
    d->m_devices.emplace(name, std::move(dev));
  }
  ConfigNode types = root.map("types");
  for (const std::string& type : types.keys()) {
    const std::string part = types.str(type, data_param("dram_devices.types.TYPE").what);
    if (!d->m_devices.count(part)) types.fail(type, "'" + part + "' is not a key of devices");
    d->m_types[type] = part;
  }
  types.finish();
  root.finish();
  return d;
}

std::shared_ptr<const DramDevices> DramDevices::shared() {
  static std::mutex mutex;
  static std::shared_ptr<const DramDevices> cached;
  std::lock_guard<std::mutex> lock(mutex);
  if (!cached) cached = load_with_snapshots([] { return load(data_dir() + "/tech/dram_devices.yaml"); });
  return cached;
}

const DramDevice* DramDevices::for_type(const std::string& type) const {
  const auto it = m_types.find(type);
  return it == m_types.end() ? nullptr : &m_devices.at(it->second);
}

void resolve_dram_part(ArchSpec& arch) {
  arch.dram.part.reset();
  arch.dram.mixes.reset();
  if (arch.dram.model != DramModel::banked) return;
  const std::shared_ptr<const DramDevices> parts = DramDevices::shared();
  const DramDevice* part = parts->for_type(arch.dram.type);
  if (!part) {
    std::string types;
    for (const auto& [type, name] : parts->types()) types += (types.empty() ? "" : "|") + type;
    throw ConfigError(arch.where("dram.model"), "dram.model",
                      "banked needs a bank-level part for dram.type '" + arch.dram.type +
                          "', and configs/tech/dram_devices.yaml has none (expected a type of " + types +
                          ", or dram.model timed)");
  }
  arch.dram.part = std::make_shared<const DramDevice>(*part);
  arch.dram.mixes = std::make_shared<DramMixTable>();
}

}  // namespace catsim
