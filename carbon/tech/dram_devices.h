#pragma once
// The DRAM parts of configs/tech/dram_devices.yaml (sim/memory/dram/dram_device.h says what a part holds),
// and which part stands for each arch.yaml dram.type. Loaded on first use only: the simple DRAM model of a
// run does not read it.

#include <map>
#include <memory>
#include <string>

#include "arch/arch_spec.h"
#include "arch/dram_device.h"

namespace catsim {

class DramDevices {
 public:
  // Parses `file`; every key is declared in carbon/data_params.h and range-checked there. Throws
  // ConfigError naming the file, line:column and key.
  static std::shared_ptr<const DramDevices> load(const std::string& file);
  // data_dir()/tech/dram_devices.yaml, loaded once per process.
  static std::shared_ptr<const DramDevices> shared();

  const std::map<std::string, DramDevice>& devices() const { return m_devices; }
  const std::map<std::string, std::string>& types() const { return m_types; }  // dram.type -> part
  // The part for an arch.yaml dram.type, or nullptr when the type has none.
  const DramDevice* for_type(const std::string& type) const;
  // The citation a part names.
  const std::string& source_text(const DramDevice& d) const { return m_sources.at(d.source); }

 private:
  std::map<std::string, DramDevice> m_devices;
  std::map<std::string, std::string> m_types;    // dram.type -> part
  std::map<std::string, std::string> m_sources;  // key -> citation
};

// Sets arch.dram.part under dram.model banked: a copy of the part standing for dram.type; ConfigError naming
// dram.model when the shipped parts have none for that type. Clears it under the other models. Every API entry
// that simulates calls it after loading the arch.
void resolve_dram_part(ArchSpec& arch);

}  // namespace catsim
