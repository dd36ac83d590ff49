#include "api/result_document.h"

#include "api/op_report.h"
#include "api/resolved_config.h"
#include "api/run_metadata.h"
#include "carbon/energy/energy_model.h"
#include "sim/run/result_json.h"

namespace catsim {

nlohmann::json result_document(const Evaluation& ev, const ArchSpec& arch, const ModelSpec& model,
                               const std::string& command_line) {
  nlohmann::json j = {{"catsim_version", catsim_version()},
                      {"command_line", command_line},
                      {"data_dir", data_dir_json()},
                      {"resolved", {{"arch", resolved_arch_json(arch)}, {"model", resolved_model_json(model)}}}};
  j.update(to_json(ev.sim));
  add_op_details(j["ops"], ev.sim, op_energies(arch, ev.sim));
  j.update(to_json(ev.energy));
  j["dram"]["energy_from"] =
      !dram_energy_from_currents(arch) ? "the type's energy per bit (configs/tech/dram.yaml)"
      : ev.sim.fidelity == "cycle"     ? "datasheet currents (DRAMPower method; I/O and termination not included)"
                                       : "datasheet currents (DRAMPower method; I/O and termination not included); an "
                                         "analytic estimate times DRAM at its peak and counts no activations";
  return j;
}

}  // namespace catsim
