#include "api/info.h"

#include <fmt/format.h>

#include "api/format.h"
#include "api/input_files.h"
#include "api/output_checks.h"
#include "arch/arch_parser.h"
#include "arch/config/error.h"
#include "arch/config/overrides.h"
#include "carbon/report.h"
#include "workloads/model_parser.h"
#include "arch/config/config_node.h"
#include "workloads/imported_graph.h"
#include "workloads/parameters.h"
#include "carbon/tech/dram_devices.h"
#include "sim/memory/dram/dram_power.h"

namespace catsim {
namespace {

std::string workload_line(const ModelSpec& m) {
  const auto& w = m.workload;
  std::string s = fmt::format("batch {}", w.batch);
  if (m.is_gemm_list()) return "gemm list";
  if (m.is_imported()) {
    const ImportedGraph& g = *m.imported;
    std::string dims;
    for (const auto& [name, value] : g.bound_dims) dims += fmt::format("{}{}={}", dims.empty() ? "" : " ", name, value);
    return fmt::format("ONNX graph '{}' (opset {}, {} nodes: {} folded, {} views), batch {}{}", g.graph_name, g.opset,
                       g.nodes, g.folded_nodes, g.view_nodes, w.batch, dims.empty() ? "" : ", dims " + dims);
  }
  if (w.phase == Phase::decode) return s + fmt::format(", decode, kv_len {}", w.kv_len);
  if (w.phase == Phase::generate)
    return s + fmt::format(", generate: prompt_len {} then gen_len {} (op table: the prompt's prefill)", w.prompt_len,
                           w.gen_len);
  if (w.seq_len > 0) s += fmt::format(", seq_len {}", w.seq_len);
  return s + ", prefill";
}

std::string precision_line(const PrecisionSpec& p) {
  return fmt::format("weights {}, activations {}, kv_cache {}, accumulator {}", name_of(p.weights),
                     name_of(p.activations), name_of(p.kv_cache), p.accumulator);
}

nlohmann::json tower_summary(const TowerSpec& t) {
  return {{"name", t.name},         {"layers", t.layers},       {"hidden", t.hidden}, {"heads", t.heads},
          {"kv_heads", t.kv_heads}, {"head_dim", t.head_dim},   {"ffn", t.ffn},       {"vocab", t.vocab},
          {"max_positions", t.max_positions}, {"activation", name_of(t.act)}, {"gated_ffn", t.gated_ffn},
          {"image_size", t.image_size}, {"patch_size", t.patch_size}, {"sliding_window", t.sliding_window},
          {"windowed_layers", t.sliding_window == 0 ? "none" : t.window_even_layers_only ? "even" : "all"}};
}

}  // namespace

nlohmann::json info_json(const ModelSpec& m, const OpGraph& g) {
  using nlohmann::json;
  ParameterCount pc = count_parameters(m);
  json comps = json::object();
  for (const auto& c : pc.components) comps[c.name] = c.count;
  json towers = json::array();
  for (const auto& t : m.towers) towers.push_back(tower_summary(t));
  json ops = json::array();
  for (const auto& o : g.ops) {
    ops.push_back({{"name", o.name},
                   {"kind", name_of(o.kind)},
                   {"shape", o.shape()},
                   {"dims", {{"count", o.count}, {"m", o.m}, {"n", o.n}, {"k", o.k}}},
                   {"precision", {{"a", name_of(o.a_prec)}, {"b", name_of(o.b_prec)}, {"out", name_of(o.out_prec)}}},
                   {"macs", o.macs},
                   {"bytes_read", o.bytes_read()},
                   {"bytes_written", o.bytes_written()}});
  }
  return {{"model", m.name},
          {"family", name_of(m.family)},
          {"towers", towers},
          {"workload",
           {{"batch", m.workload.batch},
            {"seq_len", m.workload.seq_len},
            {"phase", name_of(m.workload.phase)},
            {"prompt_len", m.workload.prompt_len},
            {"gen_len", m.workload.gen_len},
            {"kv_len", m.workload.kv_len}}},
          {"precision",
           {{"weights", name_of(m.precision.weights)},
            {"activations", name_of(m.precision.activations)},
            {"kv_cache", name_of(m.precision.kv_cache)},
            {"accumulator", m.precision.accumulator}}},
          {"torch_dtype", m.torch_dtype.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.torch_dtype)},
          {"parameters", pc.total()},
          {"parameters_by_component", comps},
          {"weight_bytes", weight_bytes(m)},
          {"macs", g.total_macs()},
          {"kv_cache_bytes", g.kv_cache_bytes},
          {"ops", ops}};
}

std::string info_text(const ModelSpec& m, const OpGraph& g) {
  ParameterCount pc = count_parameters(m);
  std::string s;
  s += fmt::format("model       {} ({})\n", m.name, name_of(m.family));
  for (const auto& t : m.towers)
    s += fmt::format("  {:<9} layers {}, hidden {}, heads {} (kv {}, head_dim {}), ffn {}{}\n",
                     t.name.empty() ? "shape" : t.name, t.layers, t.hidden, t.heads, t.kv_heads, t.head_dim, t.ffn,
                     t.vision ? fmt::format(", image {} / patch {}", t.image_size, t.patch_size)
                              : fmt::format(", vocab {}", t.vocab));
  s += fmt::format("workload    {}\n", workload_line(m));
  s += fmt::format("precision   {}{}{}\n", precision_line(m.precision),
                   m.torch_dtype.empty() ? "" : fmt::format("  (checkpoint torch_dtype {})", m.torch_dtype),
                   m.graph_precisions ? "; each op at the graph's tensor types" : "");
  s += fmt::format("parameters  {}  ({} of weights)\n", with_commas(pc.total()), human_bytes(weight_bytes(m)));
  for (const auto& c : pc.components) s += fmt::format("  {:<28} {:>15}\n", c.name, with_commas(c.count));
  s += fmt::format("MACs        {} per forward\n", with_commas(g.total_macs()));
  s += fmt::format("KV cache    {}\n", g.kv_cache_bytes ? human_bytes(g.kv_cache_bytes) : "none");
  s += fmt::format("\n{:<28} {:<14} {:<26} {:>16} {:>12} {:>12}\n", "op", "kind", "shape", "MACs", "read",
                   "written");
  for (const auto& o : g.ops)
    s += fmt::format("{:<28} {:<14} {:<26} {:>16} {:>12} {:>12}\n", o.name, name_of(o.kind), o.shape(),
                     with_commas(o.macs), human_bytes(o.bytes_read()), human_bytes(o.bytes_written()));
  return s;
}

// What one command of the arch's DRAM part costs, from its datasheet currents (dram_power.h), in joules:
// an ACT + PRE pair, a read and a write burst, a refresh; and standby power in watts, precharged and open.
struct DramPartFigures {
  double activate = 0, read = 0, write = 0, refresh = 0, standby_precharged_w = 0, standby_open_w = 0;
};

DramPartFigures dram_part_figures(const DramDevice& d) {
  DramPartFigures f;
  const DramCommandEnergies command = dram_command_energies(d);
  f.activate = command.activate;
  f.read = command.read_burst;
  f.write = command.write_burst;
  f.refresh = command.refresh;
  const double second = 1e9 / d.tck_ns;  // clocks per second
  DramStats idle;
  f.standby_precharged_w = dram_energy(d, idle, static_cast<std::uint64_t>(second)).background;
  idle.open_cycles = static_cast<std::uint64_t>(second);
  f.standby_open_w = dram_energy(d, idle, static_cast<std::uint64_t>(second)).background;
  return f;
}

nlohmann::json dram_part_json(const ArchSpec& a) {
  const DramDevice* d = DramDevices::shared()->for_type(a.dram.type);
  if (!d) return nullptr;
  const DramTiming& t = d->timing;
  nlohmann::json j = {{"part", d->name},
                      {"standard", d->standard},
                      {"source", DramDevices::shared()->source_text(*d)},
                      {"channel_bits", d->org.device_width * d->org.devices},
                      {"banks", d->org.banks()},
                      {"row_bytes", d->org.row_bytes()},
                      {"timing_ns",
                       {{"rcd", t.rcd * d->tck_ns}, {"rp", t.rp * d->tck_ns}, {"cl", t.cl * d->tck_ns},
                        {"ras", t.ras * d->tck_ns}, {"rc", t.rc * d->tck_ns}, {"faw", t.faw * d->tck_ns},
                        {"refi", t.refi * d->tck_ns}, {"rfc", t.rfc * d->tck_ns}}}};
  if (d->rails.empty()) {
    j["energy"] = nullptr;
  } else {
    const DramPartFigures f = dram_part_figures(*d);
    j["energy"] = {{"activate_precharge_j", f.activate}, {"read_burst_j", f.read},   {"write_burst_j", f.write},
                   {"refresh_j", f.refresh},             {"standby_precharged_w", f.standby_precharged_w},
                   {"standby_open_w", f.standby_open_w}, {"burst_bytes", d->org.burst_bytes()}};
  }
  return j;
}

std::string dram_part_text(const ArchSpec& a) {
  const DramDevice* d = DramDevices::shared()->for_type(a.dram.type);
  if (!d) return fmt::format("dram part   none for {} in configs/tech/dram_devices.yaml\n", a.dram.type);
  const DramTiming& t = d->timing;
  const double ns = d->tck_ns;
  std::string s = fmt::format("dram part   {} ({}, {}-bit channel, {} banks, {} rows; {})\n", d->name, d->standard,
                              d->org.device_width * d->org.devices, d->org.banks(), human_bytes(d->org.row_bytes()),
                              d->source);
  s += fmt::format("  timing    tRCD {:.1f} ns, tRP {:.1f}, CL {:.1f}, tRAS {:.1f}, tRC {:.1f}, tFAW {:.1f}, tREFI {:.0f}, "
                   "tRFC {:.0f}\n",
                   t.rcd * ns, t.rp * ns, t.cl * ns, t.ras * ns, t.rc * ns, t.faw * ns, t.refi * ns, t.rfc * ns);
  if (d->rails.empty()) return s + "  energy    no datasheet currents in the data (the simple model's pJ/bit applies)\n";
  const DramPartFigures f = dram_part_figures(*d);
  const double bits = static_cast<double>(d->org.burst_bytes()) * 8;
  s += fmt::format("  energy    ACT+PRE {:.3g} nJ, read burst {:.3g} nJ ({:.3g} pJ/bit), write burst {:.3g} nJ, refresh "
                   "{:.3g} nJ, standby {:.3g} / {:.3g} mW precharged / open (datasheet currents, no I/O)\n",
                   f.activate * 1e9, f.read * 1e9, f.read / bits * 1e12, f.write * 1e9, f.refresh * 1e9,
                   f.standby_precharged_w * 1e3, f.standby_open_w * 1e3);
  return s;
}

nlohmann::json arch_info_json(const ArchSpec& a) {
  nlohmann::json prec = nlohmann::json::object();
  for (const auto& [p, rate] : a.systolic.macs_per_pe_per_cycle)
    prec[std::string(name_of(p))] = {{"macs_per_pe_per_cycle", rate}, {"peak_tops", a.peak_tops(p)}};
  return {{"arch", a.name},
          {"clock_mhz", a.clock_mhz},
          {"cores", a.cores},
          {"systolic",
           {{"rows", a.systolic.rows},
            {"cols", a.systolic.cols},
            {"dataflow", name_of(a.systolic.dataflow)},
            {"timing", name_of(a.systolic.timing)}}},
          {"precisions", prec},
          {"vector_lanes", a.vector.lanes},
          {"sram_kib_per_core", a.sram.kib},
          {"global_kib", a.sram.global_kib},
          {"dram", {{"type", a.dram.type}, {"bandwidth_gbps", a.dram.bandwidth_gbps}, {"capacity_gib", a.dram.capacity_gib}}},
          {"dram_part", dram_part_json(a)},
          {"node_nm", a.technology.node_nm}};
}

std::string arch_info_text(const ArchSpec& a) {
  std::string s;
  s += fmt::format("arch        {} ({} core{} at {} MHz, {} nm)\n", a.name, a.cores, a.cores > 1 ? "s" : "",
                   a.clock_mhz, a.technology.node_nm);
  s += fmt::format("systolic    {}x{} {} ({} timing)\n", a.systolic.rows, a.systolic.cols, name_of(a.systolic.dataflow),
                   name_of(a.systolic.timing));
  for (const auto& [p, rate] : a.systolic.macs_per_pe_per_cycle)
    s += fmt::format("  {:<6} {:>5} MAC/PE/cycle  {:>9.2f} TOPS peak\n", name_of(p), rate, a.peak_tops(p));
  s += fmt::format("vector      {} lanes\n", a.vector.lanes);
  s += fmt::format("sram        {} KiB per core, {} B/cycle{}\n", a.sram.kib, a.sram.bytes_per_cycle,
                   a.sram.global_kib > 0 ? fmt::format(", global {} KiB", a.sram.global_kib) : "");
  s += fmt::format("dram        {} {} GB/s ({:.1f} B/cycle), {} GiB, {} ns\n", a.dram.type, a.dram.bandwidth_gbps,
                   a.dram_bytes_per_cycle(), a.dram.capacity_gib, a.dram.latency_ns);
  return s + dram_part_text(a);
}


InfoSubject load_info_subject(const std::string& file, const std::vector<std::string>& set) {
  const std::vector<Override> overrides = parse_overrides(set);
  const std::string path = shipped_or_path(file, {"models", "arch"});
  reject_space_file(path);
  const bool arch = looks_like_arch(path);
  for (const auto& o : overrides)
    if (o.target != (arch ? "arch" : "model"))
      throw ConfigError({"--set", 0, 0}, o.target + "." + o.path,
                        std::string("catsim info of ") + (arch ? "an arch" : "a model") + " takes only --set " +
                            (arch ? "arch" : "model") + ".KEY=VALUE (this override would be ignored)");
  InfoSubject s;
  if (arch) {
    s.arch = load_arch(path, overrides);
    resolve_dram_part(*s.arch);
    validate_energy_inputs(*s.arch);  // what a simulation rejects, info rejects too
    (void)DramDevices::shared();       // the bank-level parts it shows: a damaged table is one line here
  } else {
    s.model = load_model(path, overrides);
    s.graph = lower(*s.model);
  }
  return s;
}

nlohmann::json info_document(const InfoSubject& s) {
  nlohmann::json j = s.arch ? arch_info_json(*s.arch) : info_json(*s.model, s.graph);
  require_finite_output(j, "info");
  return j;
}

std::string info_text(const InfoSubject& s) {
  return s.arch ? arch_info_text(*s.arch) : info_text(*s.model, s.graph);
}

}  // namespace catsim
