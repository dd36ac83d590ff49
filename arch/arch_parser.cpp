#include "arch/arch_parser.h"

#include "arch/config/bundle.h"
#include "arch/arch_limits.h"
#include "arch/arch_params.h"
#include "arch/mac_rate.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace catsim {
namespace {

constexpr int kMaxPresetDepth = 4;

YAML::Node load_with_presets(const std::string& file, Origins& origins, int depth) {
  YAML::Node root = bundle_part(ConfigNode::parse_file(file), "arch");
  if (!root["preset"].IsDefined()) {
    record_origins(root, origins, file);
    return root;
  }
  ConfigNode view(root, std::make_shared<Origins>(file));
  std::string name = view.read_text(arch_param("preset"));
  if (depth >= kMaxPresetDepth) view.fail("preset", "presets nest too deeply (a cycle?)");
  std::string path = shipped_config("arch", name);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::vector<std::string> known;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(data_dir()) / "arch"))
      if (e.path().extension() == ".yaml") known.push_back(e.path().stem().string());
    std::sort(known.begin(), known.end());
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    view.fail("preset", "unknown preset '" + name + "' (expected one of " + list + ")");
  }
  YAML::Node base = load_with_presets(path, origins, depth + 1);
  return merge_trees(base, root, origins, file);
}

// A rate written as a fraction "1/n" (n an integer >= 1), as the README shows it; nullopt otherwise.
std::optional<double> fraction_rate(const YAML::Node& v) {
  if (!v.IsScalar()) return std::nullopt;
  const std::string& s = v.Scalar();
  if (s.rfind("1/", 0) != 0 || s.size() == 2 || s.size() > 11 ||
      s.find_first_not_of("0123456789", 2) != std::string::npos)
    return std::nullopt;
  const long n = std::stol(s.substr(2));
  return n >= 1 ? std::optional<double>(1.0 / static_cast<double>(n)) : std::nullopt;
}

SystolicSpec parse_systolic(const ConfigNode& n) {
  SystolicSpec s;
  s.rows = static_cast<int>(n.read_int(arch_param("systolic.rows")));
  s.cols = static_cast<int>(n.read_int(arch_param("systolic.cols")));
  s.dataflow = *parse_dataflow(n.read_choice(arch_param("systolic.dataflow")));
  s.timing = *parse_timing(n.read_choice(arch_param("systolic.timing")));
  ConfigNode prec = n.map("precisions");
  for (const auto& key : prec.keys()) {
    auto p = parse_precision(key);
    if (!p) prec.fail(key, "unknown precision '" + key + "' (expected one of " + std::string(kPrecisionChoices) + ")");
    const std::optional<double> fraction = fraction_rate(prec.yaml()[key]);
    if (fraction) prec.accept(key);
    if (fraction && *fraction < 1.0 / kMaxMacRate)
      prec.fail(key, "out of range (expected MACs per PE per cycle in [1/" + std::to_string(static_cast<int>(kMaxMacRate)) +
                         ", " + std::to_string(static_cast<int>(kMaxMacRate)) + "])");
    const double rate = fraction ? *fraction : prec.read_number(arch_param("systolic.precisions.PRECISION"), key);
    if (!valid_mac_rate(rate))
      prec.fail(key, "MAC rate " + std::to_string(rate) + " is neither an integer >= 1 nor 1/n (expected e.g. 2, 1, 0.5, 0.25)");
    s.macs_per_pe_per_cycle[*p] = rate;
  }
  if (s.macs_per_pe_per_cycle.empty()) n.fail("precisions", "no precision listed (expected e.g. {int8: 1})");
  return s;
}

VectorSpec parse_vector(const ConfigNode& n) {
  static const std::map<std::string, int> kDefaultCycles = {{"add", 1}, {"mul", 1},   {"max", 1},  {"sum", 1},
                                                            {"exp", 4}, {"div", 4},   {"rsqrt", 4}, {"gelu", 4},
                                                            {"silu", 4}, {"tanh", 4}};
  VectorSpec v;
  v.lanes = static_cast<int>(n.read_int(arch_param("vector.lanes")));
  v.pipeline_latency = static_cast<int>(n.read_int(arch_param("vector.pipeline_latency")));
  v.op_cycles = kDefaultCycles;
  if (auto ops = n.map_if("op_cycles")) {
    for (const auto& [op, fallback] : kDefaultCycles)
      v.op_cycles[op] = static_cast<int>(ops->read_int_or(arch_param("vector.op_cycles.OP"), fallback, op));
    ops->finish();
  }
  return v;
}

SramSpec parse_sram(const ConfigNode& n) {
  SramSpec s;
  s.ifmap_kib = n.read_number_if(arch_param("sram.ifmap_kib"));
  s.weight_kib = n.read_number_if(arch_param("sram.weight_kib"));
  s.ofmap_kib = n.read_number_if(arch_param("sram.ofmap_kib"));
  int given = s.ifmap_kib.has_value() + s.weight_kib.has_value() + s.ofmap_kib.has_value();
  if (given != 0 && given != 3)
    n.fail(s.ifmap_kib ? (s.weight_kib ? "ofmap_kib" : "weight_kib") : "ifmap_kib",
           "a split scratchpad needs all of ifmap_kib, weight_kib and ofmap_kib");
  if (given == 3) {
    double sum = *s.ifmap_kib + *s.weight_kib + *s.ofmap_kib;
    s.kib = n.read_number_or(arch_param("sram.kib"), sum);
    if (std::abs(s.kib - sum) > 1e-9)
      n.fail("kib", "kib = " + std::to_string(s.kib) + " differs from ifmap_kib + weight_kib + ofmap_kib = " +
                        std::to_string(sum) + " (expected equal, or omit kib)");
  } else {
    s.kib = n.read_number(arch_param("sram.kib"));
  }
  s.bytes_per_cycle = static_cast<int>(n.read_int(arch_param("sram.bytes_per_cycle")));
  s.banks = static_cast<int>(n.read_int(arch_param("sram.banks")));
  s.array_shares_port = n.read_choice(arch_param("sram.array_port")) == "shared";
  s.global_kib = n.read_number(arch_param("sram.global_kib"));
  constexpr const Param& kGlobalBandwidth = arch_param("sram.global_bytes_per_cycle");
  if (s.global_kib > 0)
    s.global_bytes_per_cycle = static_cast<int>(n.read_int(kGlobalBandwidth));
  else if (n.has(param_leaf(kGlobalBandwidth)))  // without a global buffer 0 is allowed, and meaningless
    s.global_bytes_per_cycle = static_cast<int>(n.int_in(param_leaf(kGlobalBandwidth), 0,
                                                         static_cast<std::int64_t>(kGlobalBandwidth.hi),
                                                         kGlobalBandwidth.what));
  else
    n.accept(param_leaf(kGlobalBandwidth));
  return s;
}

DramSpec parse_dram(const ConfigNode& n) {
  DramSpec d;
  d.type = n.read_choice(arch_param("dram.type"));
  d.bandwidth_gbps = n.read_number(arch_param("dram.bandwidth_gbps"));
  d.latency_ns = n.read_number(arch_param("dram.latency_ns"));
  d.channels = static_cast<int>(n.read_int(arch_param("dram.channels")));
  d.capacity_gib = n.read_number(arch_param("dram.capacity_gib"));
  const std::string model = n.read_choice(arch_param("dram.model"));
  d.model = model == "ideal" ? DramModel::ideal : model == "banked" ? DramModel::banked : DramModel::timed;
  d.mapping = n.read_choice(arch_param("dram.mapping"));
  d.open_page = n.read_choice(arch_param("dram.page_policy")) == "open";
  // Range-checked at full width, then narrowed.
  d.burst_bytes = static_cast<int>(n.read_int(arch_param("dram.burst_bytes")));
  return d;
}

DmaSpec parse_dma(const ConfigNode& n) {
  DmaSpec d;
  d.outstanding = static_cast<int>(n.read_int(arch_param("dma.outstanding")));
  return d;
}

MapperSpec parse_mapper(const ConfigNode& n) {
  MapperSpec m;
  const std::string objective = n.read_choice(arch_param("mapper.objective"));
  m.objective = objective == "energy" ? MapperObjective::energy
                : objective == "edp"  ? MapperObjective::edp
                                      : MapperObjective::latency;
  return m;
}

TechnologySpec parse_technology(const ConfigNode& n) {
  TechnologySpec t;
  t.node_nm = static_cast<int>(n.read_int(arch_param("technology.node_nm")));
  if (std::find(std::begin(kKnownNodesNm), std::end(kKnownNodesNm), t.node_nm) == std::end(kKnownNodesNm))
    n.fail("node_nm", "no technology data for " + std::to_string(t.node_nm) +
                          " nm (expected one of 45, 32, 28, 22, 20, 16, 14, 10, 7, 5, 3)");
  t.sram_cell = n.read_choice(arch_param("technology.sram_cell")) == "lstp" ? SramCell::lstp : SramCell::hp;
  if (n.has("overrides")) t.overrides = n.map("overrides").yaml();
  else n.accept("overrides");
  return t;
}

template <class T, class F>
T parse_section(const ConfigNode& root, const char* key, F&& parse) {
  ConfigNode n = root.map(key);
  T out = parse(n);
  n.finish();
  return out;
}

}  // namespace

ArchSpec load_arch(const std::string& file, const std::vector<Override>& overrides) {
  auto origins = std::make_shared<Origins>(file);
  YAML::Node tree = load_with_presets(file, *origins, 0);
  apply_overrides(tree, overrides, "arch", *origins);
  ConfigNode root(tree, origins);

  ArchSpec a;
  a.source_file = file;
  a.origins = origins;
  a.tree = tree;
  a.name = root.read_text(arch_param("name"));
  a.clock_mhz = root.read_number(arch_param("clock_mhz"));
  a.cores = static_cast<int>(root.read_int(arch_param("cores")));
  a.systolic = parse_section<SystolicSpec>(root, "systolic", parse_systolic);
  a.vector = parse_section<VectorSpec>(root, "vector", parse_vector);
  a.sram = parse_section<SramSpec>(root, "sram", parse_sram);
  a.dram = parse_section<DramSpec>(root, "dram", parse_dram);
  if (auto dma = root.map_if("dma")) {
    a.dma = parse_dma(*dma);
    dma->finish();
  }
  if (auto mapper = root.map_if("mapper")) {
    a.mapper = parse_mapper(*mapper);
    mapper->finish();
  }
  a.technology = parse_section<TechnologySpec>(root, "technology", parse_technology);
  if (auto analytic = root.map_if("analytic")) {
    a.analytic.energy_per_mac_pj = analytic->read_number(arch_param("analytic.energy_per_mac_pj"));
    analytic->finish();
  }
  if (root.has("carbon")) a.carbon = root.map("carbon").yaml();
  else root.accept("carbon");
  a.area_mm2 = root.read_number_if(arch_param("area_mm2"));
  root.accept("preset");
  root.finish();
  return a;
}

}  // namespace catsim
