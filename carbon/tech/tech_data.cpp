#include "carbon/tech/tech_data.h"

#include <algorithm>
#include <functional>
#include <mutex>
#include <set>

#include "carbon/tech/data_io.h"
#include "carbon/data_params.h"
#include "arch/config/yaml_snapshot.h"

namespace catsim {

static Scaling parse_scaling(const std::string& s) {
  if (s == "energy") return Scaling::energy;
  if (s == "area") return Scaling::area;
  if (s == "leak_density") return Scaling::leak_density;
  return Scaling::none;
}

static TechEntry read_entry(const ConfigNode& e, const std::string& name, const std::string& file,
                            const std::set<std::string>& sources) {
  TechEntry t;
  t.name = name;
  t.file = file;
  if (e.has("sum")) {
    for (const auto& [term, coef] : read_number_map(e, "sum", data_param("TABLE.entries.NAME.sum.ENTRY")))
      t.sum.emplace_back(term, coef);
    t.rule = e.read_text(data_param("TABLE.entries.NAME.rule"));
    t.source = "derived";
  } else {
    t.value = e.read_number(data_param("TABLE.entries.NAME.value"));
    t.scaling = parse_scaling(e.read_choice(data_param("TABLE.entries.NAME.scaling")));
    t.at_nm = e.read_number(data_param("TABLE.entries.NAME.at_nm"));
    t.source = e.read_text(data_param("TABLE.entries.NAME.source"));
    if (!sources.count(t.source)) e.fail("source", "'" + t.source + "' is not listed under sources");
    t.rule = e.str_or("rule", "");
    e.accept(param_leaf(data_param("TABLE.entries.NAME.note")));
  }
  e.finish();
  return t;
}

void TechData::load_entries(const ConfigNode& root, const std::string& file) {
  std::set<std::string> sources;
  if (auto s = root.map_if("sources"))
    for (const auto& k : s->keys()) sources.insert(k);
  ConfigNode entries = root.map("entries");
  for (const std::string& name : entries.keys()) {
    if (m_entries.count(name)) entries.fail(name, "entry already declared in " + m_entries.at(name).file);
    m_entries[name] = read_entry(entries.map(name), name, file, sources);
    double at = m_entries[name].at_nm;
    if (at < m_scaling->min_nm() || at > m_scaling->max_nm())
      entries.fail(name, "at_nm " + format_number(at) + " lies outside the node scaling table");
  }
}

// Every term of a derived entry must exist, and no entry may depend on itself.
void TechData::check_derived(const ConfigNode& root) const {
  std::map<std::string, int> state;  // 1 visiting, 2 done
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    if (state[name] == 2) return;
    if (state[name] == 1) root.fail("entries", "entry '" + name + "' depends on itself");
    state[name] = 1;
    for (const auto& [term, coef] : m_entries.at(name).sum) {
      if (!m_entries.count(term))
        root.fail("entries",
                  "'" + name + "' sums unknown entry '" + term + "' (" + m_entries.at(name).file + ")");
      visit(term);
    }
    state[name] = 2;
  };
  for (const auto& [name, e] : m_entries) visit(name);
}

static void load_dram_types(const ConfigNode& root, std::map<std::string, DramType>& out) {
  ConfigNode types = root.map("types");
  for (const std::string& name : types.keys()) {
    ConfigNode t = types.map(name);
    out[name] = {static_cast<int>(t.read_int(data_param("dram.types.NAME.channel_bits"))),
                 t.read_choice(data_param("dram.types.NAME.interface"))};
    t.finish();
  }
}

std::shared_ptr<const TechData> TechData::load(const std::string& tech_dir) {
  auto d = std::make_shared<TechData>();
  ConfigNode scaling = ConfigNode::load_file(tech_dir + "/node_scaling.yaml");
  d->m_scaling = NodeScaling::load(scaling);
  ConfigNode logic = ConfigNode::load_file(tech_dir + "/logic.yaml");
  d->load_entries(logic, "logic.yaml");
  logic.finish();
  ConfigNode sram = ConfigNode::load_file(tech_dir + "/sram_cacti7.yaml");
  d->m_sram = SramTable::load(sram);
  d->load_entries(sram, "sram_cacti7.yaml");
  if (auto oo = sram.map_if("override_only"))
    for (const auto& k : oo->keys()) d->m_override_only[k] = oo->str(k, data_param("sram_cacti7.override_only.NAME").what);
  sram.accept(param_leaf(data_param("sram_cacti7.source")));
  sram.accept(param_leaf(data_param("sram_cacti7.rules")));
  sram.finish();
  ConfigNode dram = ConfigNode::load_file(tech_dir + "/dram.yaml");
  load_dram_types(dram, d->m_dram_types);
  d->load_entries(dram, "dram.yaml");
  dram.finish();
  d->check_derived(logic);
  return d;
}

std::shared_ptr<const TechData> TechData::shared() {
  static std::mutex mutex;
  static std::shared_ptr<const TechData> cached;
  std::lock_guard<std::mutex> lock(mutex);
  if (!cached) cached = load_with_snapshots([] { return load(data_dir() + "/tech"); });
  return cached;
}

std::vector<std::string> TechData::entry_names() const {
  std::vector<std::string> names;
  for (const auto& [name, e] : m_entries) names.push_back(name);
  for (const auto& [name, what] : m_override_only) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

std::string TechData::dram_type_list() const {
  std::string s;
  for (const auto& [name, t] : m_dram_types) s += (s.empty() ? "" : "|") + name;
  return s;
}

}  // namespace catsim
