#include "api/resolved_config.h"

#include <fmt/format.h>

#include <filesystem>

#include "api/run_metadata.h"
#include "workloads/imported_graph.h"
#include "workloads/parameters.h"

namespace catsim {
namespace {

using nlohmann::json;

std::string_view phase_name(Phase p) { return name_of(p); }

json resolved_tower(const TowerSpec& t) {
  json j = {{"family", name_of(t.family)}, {"layers", t.layers},     {"hidden", t.hidden},
            {"experts", t.experts},        {"experts_per_token", t.experts_per_token},
            {"heads", t.heads},            {"kv_heads", t.kv_heads}, {"head_dim", t.head_dim},
            {"ffn", t.ffn},                {"activation", name_of(t.act)}, {"gated_ffn", t.gated_ffn},
            {"norm", t.norm == NormKind::layernorm ? "layernorm" : "rmsnorm"}, {"causal", t.causal}};
  if (!t.name.empty()) j["tower"] = t.name;
  if (t.vision) {
    j["image_size"] = t.image_size;
    j["patch_size"] = t.patch_size;
    j["channels"] = t.channels;
  } else {
    j["vocab"] = t.vocab;
    j["max_positions"] = t.max_positions;
  }
  return j;
}

bool has_text_tower(const ModelSpec& m) {
  for (const auto& t : m.towers)
    if (!t.vision) return true;
  return false;
}

// The workload block as model.yaml spells it: only the keys the model's kind and phase accept.
YAML::Node workload_yaml(const ModelSpec& m) {
  YAML::Node w(YAML::NodeType::Map);
  w["batch"] = m.workload.batch;
  w["phase"] = std::string(phase_name(m.workload.phase));
  if (m.workload.phase == Phase::decode) {
    w["kv_len"] = m.workload.kv_len;
  } else if (m.workload.phase == Phase::generate) {
    w["prompt_len"] = m.workload.prompt_len;
    w["gen_len"] = m.workload.gen_len;
  }
  if (m.workload.phase == Phase::prefill && has_text_tower(m)) w["seq_len"] = m.workload.seq_len;
  return w;
}

YAML::Node precision_yaml(const PrecisionSpec& p) {
  YAML::Node n(YAML::NodeType::Map);
  n["weights"] = std::string(name_of(p.weights));
  n["activations"] = std::string(name_of(p.activations));
  n["kv_cache"] = std::string(name_of(p.kv_cache));
  n["accumulator"] = p.accumulator;
  return n;
}

// The model tree with everything a re-run from another directory needs spelled out.
YAML::Node resolved_model_tree(const ModelSpec& m) {
  namespace fs = std::filesystem;
  YAML::Node t = YAML::Clone(m.tree);
  t["name"] = m.name;
  if (t["hf_config"].IsDefined() && t["hf_config"].IsScalar()) {
    fs::path p(t["hf_config"].as<std::string>());
    if (p.is_relative()) p = fs::path(m.source_file).parent_path() / p;
    t["hf_config"] = fs::absolute(p).lexically_normal().string();
  }
  if (m.graph_precisions) t.remove("precision");  // each op at the graph's tensor types, as this run
  else t["precision"] = precision_yaml(m.precision);
  if (m.is_imported()) {
    YAML::Node dims(YAML::NodeType::Map);
    for (const auto& [name, value] : m.imported->bound_dims) dims[name] = value;
    if (dims.size() > 0) t["dims"] = dims;
    t["batch"] = m.workload.batch;
    t["file"] = fs::absolute(m.imported->file).lexically_normal().string();
  }
  if (!m.is_gemm_list() && !m.is_imported()) t["workload"] = workload_yaml(m);
  return t;
}

}  // namespace

json resolved_arch_json(const ArchSpec& a) {
  json rates = json::object();
  for (const auto& [p, r] : a.systolic.macs_per_pe_per_cycle) rates[std::string(name_of(p))] = r;
  json sram = {{"kib", a.sram.kib},
               {"bytes_per_cycle", a.sram.bytes_per_cycle},
               {"banks", a.sram.banks},
               {"array_port", a.sram.array_shares_port ? "shared" : "separate"},
               {"global_kib", a.sram.global_kib},
               {"global_bytes_per_cycle", a.sram.global_bytes_per_cycle}};
  if (a.sram.ifmap_kib) {
    sram["ifmap_kib"] = *a.sram.ifmap_kib;
    sram["weight_kib"] = *a.sram.weight_kib;
    sram["ofmap_kib"] = *a.sram.ofmap_kib;
  }
  return {{"name", a.name},
          {"clock_mhz", a.clock_mhz},
          {"cores", a.cores},
          {"systolic",
           {{"rows", a.systolic.rows},
            {"cols", a.systolic.cols},
            {"dataflow", name_of(a.systolic.dataflow)},
            {"timing", name_of(a.systolic.timing)},
            {"precisions", rates}}},
          {"vector",
           {{"lanes", a.vector.lanes}, {"pipeline_latency", a.vector.pipeline_latency}, {"op_cycles", a.vector.op_cycles}}},
          {"sram", sram},
          {"dram",
           {{"type", a.dram.type},
            {"bandwidth_gbps", a.dram.bandwidth_gbps},
            {"latency_ns", a.dram.latency_ns},
            {"channels", a.dram.channels},
            {"burst_bytes", a.dram.burst_bytes},
            {"capacity_gib", a.dram.capacity_gib},
            {"model", std::string(name_of(a.dram.model))},
            {"mapping", a.dram.mapping},
            {"page_policy", a.dram.open_page ? "open" : "closed"}}},
          {"dma", {{"outstanding", a.dma.outstanding}}},
          {"mapper", {{"objective", name_of(a.mapper.objective)}}},
          {"technology",
           {{"node_nm", a.technology.node_nm}, {"sram_cell", a.technology.sram_cell == SramCell::lstp ? "lstp" : "hp"}}},
          {"analytic", {{"energy_per_mac_pj", a.analytic.energy_per_mac_pj}}},
          {"area_mm2", a.area_mm2 ? json(*a.area_mm2) : json(nullptr)}};
}

json resolved_model_json(const ModelSpec& m) {
  json j = {{"name", m.name},
            {"family", name_of(m.family)},
            {"precision",
             {{"weights", name_of(m.precision.weights)},
              {"activations", name_of(m.precision.activations)},
              {"kv_cache", name_of(m.precision.kv_cache)},
              {"accumulator", m.precision.accumulator}}},
            {"parameters", count_parameters(m).total()},
            {"torch_dtype", m.torch_dtype.empty() ? json(nullptr) : json(m.torch_dtype)}};
  if (m.is_imported()) {
    const ImportedGraph& g = *m.imported;
    json dims = json::object();
    for (const auto& [name, value] : g.bound_dims) dims[name] = value;
    j["onnx"] = {{"file", g.file},          {"sha256", g.sha256},
                 {"graph", g.graph_name},   {"producer", g.producer},
                 {"producer_version", g.producer_version}, {"ir_version", g.ir_version},
                 {"opset", g.opset},        {"dims", dims},
                 {"nodes", g.nodes},        {"folded_nodes", g.folded_nodes},
                 {"view_nodes", g.view_nodes}, {"parameter_bytes_stored", g.parameter_bytes},
                 {"batch", m.workload.batch},
                 {"op_precisions", m.graph_precisions ? "graph" : "model"}};  // the tensor types, or `precision`
    return j;
  }
  if (m.is_gemm_list()) {
    json gemms = json::array();
    for (const auto& g : m.gemms) gemms.push_back({{"name", g.name}, {"m", g.m}, {"n", g.n}, {"k", g.k}});
    j["gemms"] = gemms;
    return j;
  }
  json towers = json::array();
  for (const auto& t : m.towers) towers.push_back(resolved_tower(t));
  j["towers"] = towers;
  j["pruned"] = m.towers.size() == m.original.size() && [&] {
    for (std::size_t i = 0; i < m.towers.size(); ++i) {
      const TowerSpec &a = m.towers[i], &b = m.original[i];
      if (a.layers != b.layers || a.heads != b.heads || a.kv_heads != b.kv_heads || a.ffn != b.ffn ||
          a.hidden != b.hidden)
        return true;
    }
    return false;
  }();
  if (m.family == Family::clip) j["projection_dim"] = m.projection_dim;
  j["workload"] = {{"batch", m.workload.batch},
                   {"phase", phase_name(m.workload.phase)},
                   {"seq_len", m.workload.seq_len},
                   {"kv_len", m.workload.kv_len},
                   {"prompt_len", m.workload.prompt_len},
                   {"gen_len", m.workload.gen_len}};
  return j;
}

std::string run_header_text(const ArchSpec& a, const ModelSpec& m) {
  const auto& p = m.precision;
  const auto& w = m.workload;
  std::string work = m.is_imported() ? fmt::format("ONNX graph '{}', {} nodes, opset {}", m.imported->graph_name,
                                                   m.imported->nodes, m.imported->opset)
                     : m.is_gemm_list() ? fmt::format("{} GEMM{}", m.gemms.size(), m.gemms.size() == 1 ? "" : "s")
                     : w.phase == Phase::decode
                         ? fmt::format("decode, batch {}, kv_len {}", w.batch, w.kv_len)
                     : w.phase == Phase::generate
                         ? fmt::format("generate, batch {}, prompt_len {}, gen_len {}", w.batch, w.prompt_len, w.gen_len)
                         : fmt::format("prefill, batch {}{}", w.batch,
                                       w.seq_len > 0 ? fmt::format(", seq_len {}", w.seq_len) : std::string());
  std::string s = fmt::format("workload    {} ({})\n", work, name_of(m.family));
  s += fmt::format("precision   weights {}, activations {}, kv_cache {}, accumulator {}{}\n", name_of(p.weights),
                   name_of(p.activations), name_of(p.kv_cache), p.accumulator,
                   m.graph_precisions ? "; each op at the graph's tensor types" : "");
  s += fmt::format("hardware    {} core{} x {}x{} {} array, {:g} KiB SRAM per core{}, {} {:g} GB/s\n", a.cores,
                   a.cores == 1 ? "" : "s", a.systolic.rows, a.systolic.cols, name_of(a.systolic.dataflow), a.sram.kib,
                   a.sram.global_kib > 0 ? fmt::format(" + {:g} KiB global", a.sram.global_kib) : std::string(),
                   a.dram.type, a.dram.bandwidth_gbps);
  return s;
}

std::string dump_config_yaml(const ArchSpec& a, const ModelSpec& m, const std::string& command_line) {
  YAML::Node root(YAML::NodeType::Map);
  root["catsim_version"] = catsim_version();
  root["command_line"] = command_line;
  root["arch"] = YAML::Clone(a.tree);
  root["model"] = resolved_model_tree(m);
  YAML::Emitter out;
  out << root;
  return "# Generated by `" + command_line + "`; re-run with: catsim THIS_FILE\n" +
         std::string(out.c_str()) + "\n";
}

}  // namespace catsim
