#pragma once
// `--outdir DIR`: a report folder like SCALE-Sim's: ops.csv (per-op table), summary.json (the --json
// result) and energy.csv (the run's energy by event); each file is written whole or not at all.

#include <nlohmann/json.hpp>
#include <string>

namespace catsim {

// Throws ConfigError at --outdir when DIR cannot be created or written (checked before simulating).
void prepare_outdir(const std::string& dir);

// Writes `text` to `path` through a temporary file renamed at the end; false on any I/O error.
bool write_whole_file(const std::string& path, const std::string& text);

// Writes the three files; false (and nothing half-written) on an I/O error.
bool write_report_folder(const std::string& dir, const std::string& ops_csv, const nlohmann::json& summary,
                         const std::string& energy_csv);

}  // namespace catsim
