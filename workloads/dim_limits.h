#pragma once
// The valid range of every model dimension, for model.yaml keys and the HuggingFace config.json keys that
// set them: wide enough for any published transformer, narrow enough that parameter counts fit 64 bits.

#include <cstdint>
#include <string_view>

namespace catsim {

struct DimRange {
  std::int64_t lo = 1, hi = 1;
};

// The range of a model.yaml key (layers, hidden, ..., workload batch, gemm m/n/k) or of a config.json
// key (num_hidden_layers, hidden_size, ...). Keys not listed get 1..kMaxOtherDim.
DimRange dim_range(std::string_view key);

inline constexpr std::int64_t kMaxOtherDim = 1'000'000'000;

}  // namespace catsim
