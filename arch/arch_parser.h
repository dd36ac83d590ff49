#pragma once
// Reads arch.yaml (with an optional `preset:` underneath and `--set arch.*` overrides on top) into a
// validated ArchSpec. Every problem is a ConfigError naming the file, line:column and key.

#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "arch/config/overrides.h"

namespace catsim {

ArchSpec load_arch(const std::string& file, const std::vector<Override>& overrides = {});

// Process nodes with technology data (nm).
inline constexpr int kKnownNodesNm[] = {45, 32, 28, 22, 20, 16, 14, 10, 7, 5, 3};

}  // namespace catsim
