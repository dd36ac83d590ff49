#include "carbon/carbon_config.h"

#include <algorithm>

#include "arch/arch_params.h"
#include "carbon/tech/data_io.h"

namespace catsim {

namespace {

struct Intensity {
  std::string label;
  double g_per_kwh = 0;
};

// Either `region_key` (looked up in `table`) or `number_key` (a number), never both.
Intensity read_intensity(const ConfigNode& n, const Param& region, const Param& number, const RegionTable& table,
                         const std::string& default_region) {
  const std::string_view region_key = param_leaf(region), number_key = param_leaf(number);
  if (n.has(region_key) && n.has(number_key))
    n.fail(number_key,
           "give either " + std::string(region_key) + " or " + std::string(number_key) + ", not both");
  if (n.has(number_key)) {
    double v = n.read_number(number);
    n.accept(region_key);
    return {"custom", v};
  }
  n.accept(number_key);
  std::string name = n.str_or(region_key, default_region);
  if (auto r = table.find(name)) return {r->label(), r->g_per_kwh};
  std::string hint = closest_match(lower(name.substr(0, name.find('@'))), table.names());
  n.fail(region_key, "unknown region '" + name + "'" +
                         (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                         " (expected one of, with the years available: " + table.known_list() + ")");
}

YieldSpec read_yield(const ConfigNode& n, double default_yield) {
  YieldSpec y;
  y.fixed_yield = default_yield;
  bool fixed = n.has("yield"), model = n.has("defect_density_per_cm2");
  if (fixed && model)
    n.fail("defect_density_per_cm2", "give either yield or defect_density_per_cm2, not both");
  if (!model) {
    for (const char* k : {"yield_model", "clustering_alpha"})
      if (n.has(k)) n.fail(k, "only applies with defect_density_per_cm2");
    y.fixed_yield = n.read_number_or(arch_param("carbon.embodied.yield"), default_yield);
    return y;
  }
  n.accept("yield");
  y.defect_density_per_cm2 = n.read_number(arch_param("carbon.embodied.defect_density_per_cm2"));
  std::string m = n.read_choice(arch_param("carbon.embodied.yield_model"));
  y.model = m == "poisson"  ? YieldModel::poisson
            : m == "murphy" ? YieldModel::murphy
                            : YieldModel::negative_binomial;
  if (n.has("clustering_alpha") && y.model != YieldModel::negative_binomial)
    n.fail("clustering_alpha", "only applies to yield_model: negative_binomial");
  y.clustering_alpha = n.read_number(arch_param("carbon.embodied.clustering_alpha"));
  return y;
}

EmbodiedConfig read_embodied(const ConfigNode& n, const CarbonData& data) {
  const ActDefaults& d = data.act.defaults();
  EmbodiedConfig e;
  Intensity fab = read_intensity(n, arch_param("carbon.embodied.fab_region"),
                                 arch_param("carbon.embodied.fab_ci_g_per_kwh"), data.regions.fab, d.fab_region);
  e.fab_region = fab.label;
  e.fab_ci_g_per_kwh = fab.g_per_kwh;
  e.gas_abatement_pct =
      static_cast<int>(n.read_int_or(arch_param("carbon.embodied.gas_abatement_pct"), d.gas_abatement_pct));
  const auto& choices = data.act.abatement_choices();
  if (std::find(choices.begin(), choices.end(), e.gas_abatement_pct) == choices.end())
    n.fail("gas_abatement_pct", "unsupported value " + std::to_string(e.gas_abatement_pct) +
                                    " (expected one of " + data.act.abatement_list() + ")");
  e.yield = read_yield(n, d.yield);
  e.packaging_g_per_ic = n.read_number_or(arch_param("carbon.embodied.packaging_g_per_ic"), d.packaging_g_per_ic);
  e.memory_g_per_gb = n.read_number_if(arch_param("carbon.embodied.memory_g_per_gb"));
  e.memory_yield = n.read_number_or(arch_param("carbon.embodied.memory_yield"), d.memory_yield);
  n.finish();
  return e;
}

OperationalConfig read_operational(const ConfigNode& n, const CarbonData& data) {
  OperationalConfig o;
  Intensity grid = read_intensity(n, arch_param("carbon.operational.grid_region"),
                                  arch_param("carbon.operational.grid_ci_g_per_kwh"), data.regions.grid,
                                  data.regions.default_grid_region);
  o.grid_region = grid.label;
  o.grid_ci_g_per_kwh = grid.g_per_kwh;
  o.pue = n.read_number(arch_param("carbon.operational.pue"));
  n.finish();
  return o;
}

Deployment read_deployment(const ConfigNode& n) {
  Deployment d;
  d.lifetime_years = n.read_number(arch_param("carbon.deployment.lifetime_years"));
  if (n.has("inferences") && n.has("inferences_per_second"))
    n.fail("inferences_per_second",
           "give either inferences (a lifetime count) or inferences_per_second, not both");
  if (n.has("utilization") && !n.has("inferences_per_second"))
    n.fail("utilization", "only applies with inferences_per_second");
  d.inferences = n.read_number_if(arch_param("carbon.deployment.inferences"));
  d.inferences_per_second = n.read_number_if(arch_param("carbon.deployment.inferences_per_second"));
  d.utilization = n.read_number(arch_param("carbon.deployment.utilization"));
  n.finish();
  return d;
}

// A missing sub-block reads as an empty map, so every default flows through the same code.
ConfigNode section(const ConfigNode& root, std::string_view key) {
  if (auto m = root.map_if(key)) return *m;
  return ConfigNode(YAML::Node(YAML::NodeType::Map), std::make_shared<Origins>(root.origins()),
                    root.key_path(key));
}

// Keys of a section written directly under `carbon:` get a pointer to where they belong.
void reject_misplaced_keys(const ConfigNode& root) {
  static const std::pair<const char*, const char*> kHomes[] = {{"fab_region", "embodied"},
                                                               {"fab_ci_g_per_kwh", "embodied"},
                                                               {"gas_abatement_pct", "embodied"},
                                                               {"yield", "embodied"},
                                                               {"defect_density_per_cm2", "embodied"},
                                                               {"yield_model", "embodied"},
                                                               {"clustering_alpha", "embodied"},
                                                               {"packaging_g_per_ic", "embodied"},
                                                               {"memory_g_per_gb", "embodied"},
                                                               {"memory_yield", "embodied"},
                                                               {"grid_region", "operational"},
                                                               {"grid_ci_g_per_kwh", "operational"},
                                                               {"pue", "operational"},
                                                               {"lifetime_years", "deployment"},
                                                               {"inferences", "deployment"},
                                                               {"inferences_per_second", "deployment"},
                                                               {"utilization", "deployment"}};
  for (const auto& [key, section] : kHomes)
    if (root.yaml()[key].IsDefined())
      root.fail(key, std::string("belongs under carbon.") + section + " (write carbon: {" + section + ": {" +
                         key + ": ...}})");
}

}  // namespace

CarbonConfig parse_carbon_config(const YAML::Node& carbon, const std::string& source_file,
                                 const CarbonData& data) {
  return parse_carbon_config(carbon, std::make_shared<Origins>(source_file), data);
}

CarbonConfig parse_carbon_config(const YAML::Node& carbon, std::shared_ptr<const Origins> origins,
                                 const CarbonData& data) {
  YAML::Node node = carbon.IsDefined() && !carbon.IsNull() ? carbon : YAML::Node(YAML::NodeType::Map);
  ConfigNode root(node, std::move(origins), "carbon");
  if (!node.IsMap()) root.fail("", "expected a mapping with embodied, operational and deployment");
  reject_misplaced_keys(root);
  CarbonConfig c;
  c.embodied = read_embodied(section(root, "embodied"), data);
  c.operational = read_operational(section(root, "operational"), data);
  c.deployment = read_deployment(section(root, "deployment"));
  root.finish();
  return c;
}

CarbonConfig parse_carbon_config(const ArchSpec& arch, const CarbonData& data) {
  if (!arch.origins) return parse_carbon_config(arch.carbon, arch.source_file, data);
  return parse_carbon_config(arch.carbon, arch.origins, data);
}

}  // namespace catsim
