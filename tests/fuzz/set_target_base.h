#pragma once
// The arch and model the `set` fuzz target applies its --set lines to. The corpus replay
// (tests/integration/test_fuzz_corpus.cpp) uses the same two, so a finding reproduces as it was found.

namespace catsim::fuzz {

inline constexpr const char* kSetArch = R"(name: t
clock_mhz: 1000
systolic: {rows: 8, cols: 8, precisions: {int8: 1, fp16: 1}}
vector: {lanes: 8}
sram: {kib: 64, bytes_per_cycle: 32}
dram: {type: lpddr4, bandwidth_gbps: 10, capacity_gib: 1}
technology: {node_nm: 22}
)";

inline constexpr const char* kSetModel = R"(family: llama
layers: 2
hidden: 64
heads: 4
kv_heads: 2
ffn: 128
vocab: 100
max_positions: 64
workload: {batch: 1, seq_len: 16}
)";

}  // namespace catsim::fuzz
