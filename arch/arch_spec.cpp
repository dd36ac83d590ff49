#include "arch/arch_spec.h"

namespace catsim {

SourceLocation ArchSpec::where(const std::string& dotted_key) const {
  const std::string file = origins ? origins->file_of(dotted_key) : source_file;
  if (!tree || file == "--set") return {file, 0, 0};
  YAML::Node node = tree;
  std::size_t start = 0;
  while (start <= dotted_key.size()) {
    std::size_t dot = dotted_key.find('.', start);
    std::string key = dotted_key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node.IsMap() || !node[key].IsDefined()) return {file, 0, 0};
    YAML::Node next = node[key];
    node.reset(next);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

double ArchSpec::peak_macs_per_cycle(Precision p) const {
  auto it = systolic.macs_per_pe_per_cycle.find(p);
  if (it == systolic.macs_per_pe_per_cycle.end()) return 0.0;
  return static_cast<double>(cores) * systolic.rows * systolic.cols * it->second;
}

double ArchSpec::peak_tops(Precision p) const { return 2.0 * peak_macs_per_cycle(p) * clock_mhz * 1e6 / 1e12; }

}  // namespace catsim
