#pragma once
// Small random accelerators and models for property tests of the compiler and the estimators: every
// dataflow and timing, 1 to 8 cores, with and without a global buffer, ideal and timed DRAM, BERT and
// Llama stacks (prefill under a causal mask, decode) and lone GEMMs long in K (K splits).

#include <random>
#include <string>

namespace catsim::test {

struct RandomDesign {
  std::string arch, model;  // YAML text
};

// `stacks_only`: only layer stacks of 4 to 7 layers (what the layer sample reduces).
inline RandomDesign random_design(std::mt19937& rng, bool stacks_only) {
  auto pick = [&](auto... xs) {
    const std::string v[] = {xs...};
    return v[rng() % sizeof...(xs)];
  };
  const std::string side = pick("4", "8", "16", "32"), df = pick("os", "ws", "is");
  const std::string global = pick("0", "64", "1024"), dram = pick("timed", "ideal");
  const std::string cores = stacks_only ? std::to_string(1 + rng() % 4) : pick("1", "2", "3", "4", "8");
  RandomDesign d;
  d.arch =
      "name: r\nclock_mhz: 1000\ncores: " + cores + "\nsystolic: {rows: " + side +
      ", cols: " + pick("4", "8", "16", "32") + ", dataflow: " + df +
      ", timing: " + pick("pipelined", "scalesim") +
      ", precisions: {int8: 1, fp16: 0.5}}\nvector: {lanes: 8}\nsram: {kib: " + pick("16", "64", "256") +
      ", bytes_per_cycle: 64" +
      (global == "0" ? "" : ", global_kib: " + global + ", global_bytes_per_cycle: 32") +
      "}\ndram: {type: lpddr4, bandwidth_gbps: 16, latency_ns: 10, channels: 2, capacity_gib: 1, model: " +
      dram + "}\ntechnology: {node_nm: 22}\n";
  const int kind = stacks_only ? static_cast<int>(rng() % 2) : static_cast<int>(rng() % 3);
  const std::string layers = std::to_string(4 + rng() % 4), seq = std::to_string(1 + rng() % 48);
  if (kind == 0)
    d.model = "family: llama\nlayers: " + layers +
              "\nhidden: 64\nheads: 4\nkv_heads: " + pick("1", "2", "4") +
              "\nffn: 96\nvocab: 50\nmax_positions: 256\nprecision: " + pick("int8", "fp16") +
              (rng() % 2 ? "\nworkload: {seq_len: " + seq + "}\n"
                         : "\nworkload: {phase: decode, kv_len: " + seq + ", batch: 2}\n");
  else if (kind == 1)
    d.model = "family: bert\nlayers: " + layers +
              "\nhidden: 32\nheads: 2\nffn: 64\nvocab: 50\n"
              "max_positions: 64\nworkload: {seq_len: " +
              seq + "}\n";
  else
    d.model = "kind: gemm\nm: " + std::to_string(1 + rng() % 40) + "\nn: " + std::to_string(1 + rng() % 40) +
              "\nk: " + std::to_string(64 + rng() % 2000) + "\nprecision: " + pick("int8", "fp16") + "\n";
  return d;
}

}  // namespace catsim::test
