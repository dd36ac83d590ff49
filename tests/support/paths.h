#pragma once
// Paths the tests need: the source tree (for shipped configs) and the built catsim binary.

#include <string>

namespace catsim::test {

inline std::string source_path(const std::string& rel) { return std::string(CATSIM_SOURCE_DIR) + "/" + rel; }
inline std::string model_config(const std::string& name) { return source_path("configs/models/" + name); }
inline std::string arch_config(const std::string& name) { return source_path("configs/arch/" + name); }

}  // namespace catsim::test
