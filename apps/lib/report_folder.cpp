#include "apps/lib/report_folder.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "arch/config/error.h"

namespace catsim {

void prepare_outdir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) fs::create_directory(dir, ec);
  if (ec || !fs::is_directory(dir) || ::access(dir.c_str(), W_OK) != 0)
    throw ConfigError({"command line", 0, 0}, "--outdir",
                      "cannot create or write directory " + dir + " (expected a writable folder whose parent exists)");
}

bool write_whole_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

bool write_report_folder(const std::string& dir, const std::string& ops_csv, const nlohmann::json& summary,
                         const std::string& energy_csv) {
  const std::filesystem::path d(dir);
  return write_whole_file((d / "ops.csv").string(), ops_csv) &&
         write_whole_file((d / "summary.json").string(), summary.dump(2) + "\n") &&
         write_whole_file((d / "energy.csv").string(), energy_csv);
}

}  // namespace catsim
