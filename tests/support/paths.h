#pragma once
// Paths the tests need: the source tree (for shipped configs) and the built catsim binary.

#include <string>

namespace catsim::test {

inline std::string source_path(const std::string& rel) { return std::string(CATSIM_SOURCE_DIR) + "/" + rel; }
inline std::string model_config(const std::string& name) { return source_path("configs/models/" + name); }
inline std::string arch_config(const std::string& name) { return source_path("configs/arch/" + name); }
// A shipped arch or model by its name without ".yaml" ("edge_npu", "bert-base").
inline std::string shipped_arch(const std::string& name) { return arch_config(name + ".yaml"); }
inline std::string shipped_model(const std::string& name) { return model_config(name + ".yaml"); }

}  // namespace catsim::test
