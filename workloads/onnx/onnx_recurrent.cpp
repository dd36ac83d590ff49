#include "workloads/onnx/onnx_recurrent.h"

#include "arch/checked_math.h"

namespace catsim::onnx_import {

std::int64_t gates_of(CellKind kind) {
  switch (kind) {
    case CellKind::lstm: return 4;
    case CellKind::gru: return 3;
    case CellKind::rnn: return 1;
  }
  return 1;
}

namespace {

// Appends the ops of one direction; each helper returns the new op's id.
class DirectionLowering {
 public:
  DirectionLowering(const RecurrentNode& node, RecurrentOps& out, int first_id, bool reverse)
      : m_node(node), m_out(out), m_first(first_id), m_reverse(reverse), m_prefix(node.name + (reverse ? ".rev" : ".fwd")) {}

  void run() {
    const std::int64_t g = gates_of(m_node.kind), b = m_node.batch, h = m_node.hidden;
    // X·Wᵀ for every step at once: (steps·batch) x input x (gates·hidden).
    m_projection = gemm("input_proj", mul_i64(m_node.steps, b, "LSTM rows"), m_node.input, mul_i64(g, h, "gates"),
                        m_node.input_deps, m_node.bias);
    m_out.ops[local(m_projection)].reordered_rows = m_node.input_reordered;
    int hidden = -1, cell = -1;  // the previous step's states (-1: the initial ones)
    for (std::int64_t s = 0; s < m_node.steps; ++s) {
      m_step = ".t" + std::to_string(m_reverse ? m_node.steps - 1 - s : s);  // named by the time step it reads
      switch (m_node.kind) {
        case CellKind::lstm: lstm_step(hidden, cell); break;
        case CellKind::gru: gru_step(hidden); break;
        case CellKind::rnn: rnn_step(hidden); break;
      }
      m_out.y.push_back(hidden);
    }
    m_out.last_h.push_back(hidden);
    if (m_node.kind == CellKind::lstm) m_out.last_c.push_back(cell);
  }

 private:
  std::size_t local(int id) const { return static_cast<std::size_t>(id - m_first); }

  int add(Op o, const std::string& what) {
    o.name = m_prefix + m_step + "." + what;
    m_out.ops.push_back(std::move(o));
    return m_first + static_cast<int>(m_out.ops.size()) - 1;
  }

  int gemm(const std::string& what, std::int64_t m, std::int64_t k, std::int64_t n, std::vector<int> deps, bool bias) {
    Op o;
    o.kind = OpKind::gemm;
    o.m = m, o.k = k, o.n = n;
    o.b_is_weight = true;
    o.bias = bias;
    o.macs = product_u64("MACs", m, k, n);
    o.deps = std::move(deps);
    return add(std::move(o), what);
  }

  // A vector pass over batch x `cols` elements reading `inputs` tensors of that size.
  int vector(const std::string& what, OpKind kind, std::int64_t cols, int inputs, std::vector<int> deps,
             Activation act = Activation::sigmoid) {
    Op o;
    o.kind = kind;
    o.m = m_node.batch, o.n = cols;
    o.inputs = inputs;
    o.act = act;
    o.deps = std::move(deps);
    return add(std::move(o), what);
  }

  // The previous step's state as a dependency list: the op, or the initial state's producers.
  std::vector<int> state(int previous) const { return previous >= 0 ? std::vector<int>{previous} : m_node.state_deps; }
  // An element-wise product or sum of `op`'s result with the previous state: `op` first (its left operand).
  std::vector<int> with_state(int op, int previous) const {
    std::vector<int> deps = state(previous);
    deps.insert(deps.begin(), op);
    return deps;
  }

  // This step's pre-activations: its rows of the projection plus the recurrent product. It reads rows
  // t·batch.. of the projection, not rows 0.., so it waits for the projection whole.
  int preactivation(const std::string& what, std::int64_t cols, int recurrent) {
    const int id = vector(what, OpKind::add, cols, 2, {m_projection, recurrent});
    m_out.ops[local(id)].reordered_rows = true;
    return id;
  }

  void lstm_step(int& hidden, int& cell) {
    const std::int64_t h = m_node.hidden;
    const auto& f = m_node.functions;
    const int rec = gemm("recurrent", m_node.batch, h, 4 * h, state(hidden), false);
    const int gates = preactivation("gates", 4 * h, rec);
    int write = -1, forget = -1, output = -1;
    const int candidate = vector("candidate", OpKind::activation, h, 1, {gates}, f[1]);
    if (m_node.peepholes) {
      // i, f += P ⊙ C_{t-1} before the cell; o += P ⊙ C_t after it (ONNX's LSTM), each P a held row.
      const int p = vector("peephole_if", OpKind::mul, 2 * h, 1, state(cell));
      const int sig = vector("if_act", OpKind::activation, 2 * h, 1,
                             {vector("peephole_if_add", OpKind::add, 2 * h, 2, {gates, p})}, f[0]);
      forget = vector("forget", OpKind::mul, h, 2, with_state(sig, cell));
      write = vector("input", OpKind::mul, h, 2, {sig, candidate});
      cell = vector("cell", OpKind::add, h, 2, {forget, write});
      const int po = vector("peephole_o", OpKind::mul, h, 1, {cell});
      output = vector("o_act", OpKind::activation, h, 1, {vector("peephole_o_add", OpKind::add, h, 2, {gates, po})}, f[0]);
    } else {
      output = vector("ifo", OpKind::activation, 3 * h, 1, {gates}, f[0]);
      forget = vector("forget", OpKind::mul, h, 2, with_state(output, cell));
      write = vector("input", OpKind::mul, h, 2, {output, candidate});
      cell = vector("cell", OpKind::add, h, 2, {forget, write});
    }
    const int squashed = vector("cell_act", OpKind::activation, h, 1, {cell}, f[2]);
    hidden = vector("hidden", OpKind::mul, h, 2, {output, squashed});
  }

  void gru_step(int& hidden) {
    const std::int64_t h = m_node.hidden;
    const auto& f = m_node.functions;
    int candidate_pre = -1, zr = -1;
    if (m_node.linear_before_reset) {  // r ⊙ (H·Rhᵀ + Rbh): one recurrent GEMM for all three gates
      const int rec = gemm("recurrent", m_node.batch, h, 3 * h, state(hidden), m_node.bias);
      zr = vector("zr_act", OpKind::activation, 2 * h, 1, {preactivation("zr", 2 * h, rec)}, f[0]);
      const int reset = vector("reset", OpKind::mul, h, 2, {zr, rec});
      candidate_pre = preactivation("candidate_pre", h, reset);
    } else {  // (r ⊙ H)·Rhᵀ: the candidate's GEMM waits for the reset gate
      const int rec = gemm("recurrent_zr", m_node.batch, h, 2 * h, state(hidden), false);
      zr = vector("zr_act", OpKind::activation, 2 * h, 1, {preactivation("zr", 2 * h, rec)}, f[0]);
      const int reset = vector("reset", OpKind::mul, h, 2, with_state(zr, hidden));
      candidate_pre = preactivation("candidate_pre", h, gemm("recurrent_h", m_node.batch, h, h, {reset}, false));
    }
    const int candidate = vector("candidate", OpKind::activation, h, 1, {candidate_pre}, f[1]);
    // H = (1 - z) ⊙ H~ + z ⊙ H_{t-1} = H~ + z ⊙ (H_{t-1} - H~): a subtraction, a product and a sum.
    const int diff = vector("keep_diff", OpKind::add, h, 2, with_state(candidate, hidden));
    const int keep = vector("keep", OpKind::mul, h, 2, {zr, diff});
    hidden = vector("hidden", OpKind::add, h, 2, {candidate, keep});
  }

  void rnn_step(int& hidden) {
    const std::int64_t h = m_node.hidden;
    const int rec = gemm("recurrent", m_node.batch, h, h, state(hidden), false);
    hidden = vector("hidden", OpKind::activation, h, 1, {preactivation("pre", h, rec)}, m_node.functions[0]);
  }

  const RecurrentNode& m_node;
  RecurrentOps& m_out;
  int m_first;
  bool m_reverse;  // runs from the last time step to the first
  std::string m_prefix, m_step;
  int m_projection = -1;
};

}  // namespace

RecurrentOps lower_recurrent(const RecurrentNode& node, int first_id) {
  RecurrentOps out;
  if (node.forward) DirectionLowering(node, out, first_id, false).run();
  if (node.reverse) DirectionLowering(node, out, first_id, true).run();
  return out;
}

}  // namespace catsim::onnx_import
