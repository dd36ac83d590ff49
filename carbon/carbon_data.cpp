#include "carbon/carbon_data.h"

#include <mutex>

#include "carbon/tech/data_io.h"
#include "arch/config/yaml_snapshot.h"

namespace catsim {

std::shared_ptr<const CarbonData> CarbonData::load(const std::string& configs_dir) {
  auto d = std::make_shared<CarbonData>(CarbonData{ActTables::load(configs_dir + "/tech/act.yaml"),
                                                   RegionTables::load(configs_dir + "/regions.yaml")});
  if (!d->regions.fab.find(d->act.defaults().fab_region))
    throw ConfigError({configs_dir + "/tech/act.yaml", 0, 0}, "defaults.fab_region",
                      "'" + d->act.defaults().fab_region + "' is not a fab region of regions.yaml");
  return d;
}

std::shared_ptr<const CarbonData> CarbonData::shared() {
  static std::mutex mutex;
  static std::shared_ptr<const CarbonData> cached;
  std::lock_guard<std::mutex> lock(mutex);
  if (!cached) cached = load_with_snapshots([] { return load(data_dir()); });
  return cached;
}

}  // namespace catsim
