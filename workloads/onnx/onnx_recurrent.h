#pragma once
// ONNX's recurrent nodes (LSTM, GRU, RNN) as catsim ops. Per direction, one GEMM projects every step's
// input at once (X·Wᵀ, the biases added as results leave the array); then each time step runs its recurrent
// GEMM (H_{t-1}·Rᵀ) and the cell's element-wise passes on the vector unit, and waits for the step before it,
// as the recurrence does on any accelerator. MACs per direction: steps·batch·gates·hidden·(input + hidden).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/op_graph.h"

namespace catsim::onnx_import {

enum class CellKind { lstm, gru, rnn };

// Most time steps (over every direction of every recurrent node) a graph may unroll into: each step is up
// to 11 ops, so this bounds the ops a small file can ask for.
inline constexpr std::int64_t kMaxRecurrentSteps = std::int64_t{1} << 14;

struct RecurrentNode {
  std::string name;  // the node's, prefixed to its ops' names
  CellKind kind = CellKind::lstm;
  std::int64_t steps = 1, batch = 1, input = 1, hidden = 1;
  bool forward = true, reverse = false;  // the directions that run (both: bidirectional)
  bool bias = false;                     // B given: Wb + Rb added as the input projection's results leave
  bool peepholes = false;                // LSTM's P given
  bool linear_before_reset = false;      // GRU: r multiplies (H·Rhᵀ + Rbh), so Rbh joins the recurrent GEMM
  // The cell's functions in ONNX's order: LSTM f, g, h; GRU f, g; RNN f (the rest unused).
  std::array<Activation, 3> functions{Activation::sigmoid, Activation::tanh, Activation::tanh};
  std::vector<int> input_deps;  // producers of X
  bool input_reordered = false;  // X reaches the node through a transpose of its innermost axis
  std::vector<int> state_deps;   // producers of the initial hidden and cell states
};

struct RecurrentOps {
  std::vector<Op> ops;          // to append after the graph's first_id - 1 ops; deps are absolute ids
  std::vector<int> y;           // every step's hidden state, per direction in step order (Y)
  std::vector<int> last_h, last_c;  // per direction: the last step's hidden and cell states (Y_h, Y_c)
};

// Gates per cell: LSTM 4 (i, o, f, c), GRU 3 (z, r, h), RNN 1.
std::int64_t gates_of(CellKind kind);

// The ops of `node`, numbered from `first_id`: up to 11 per step and direction (the caller bounds the steps).
RecurrentOps lower_recurrent(const RecurrentNode& node, int first_id);

}  // namespace catsim::onnx_import
