#include "workloads/onnx/onnx_fusion.h"

#include "workloads/onnx/onnx_values.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace catsim::onnx_import {
namespace {

// Who produces and who reads each tensor, and which tensors are constants (initializers, Constant nodes and
// nodes computed from constants only).
class GraphIndex {
 public:
  explicit GraphIndex(const onnx::GraphProto& g) : m_g(g) {
    for (const auto& t : g.initializer()) {
      m_const.insert(t.name());
      m_tensor[t.name()] = &t;
    }
    for (int i = 0; i < g.node_size(); ++i) {
      const auto& n = g.node(i);
      bool all_const = true;
      for (const auto& in : n.input()) {
        if (!in.empty()) m_readers[in].push_back(i);
        if (!in.empty() && !m_const.count(in)) all_const = false;
      }
      if (n.op_type() == "Constant" && n.output_size() == 1 && n.attribute_size() == 1 && n.attribute(0).has_t())
        m_tensor[n.output(0)] = &n.attribute(0).t();
      for (const auto& out : n.output()) {
        m_producer[out] = i;
        if (all_const && n.op_type() != "RandomNormal" && n.op_type() != "RandomUniform") m_const.insert(out);
      }
    }
  }

  const onnx::NodeProto& node(int i) const { return m_g.node(i); }
  int producer(const std::string& t) const {
    auto it = m_producer.find(t);
    return it == m_producer.end() ? -1 : it->second;
  }
  bool constant(const std::string& t) const { return m_const.count(t) > 0; }
  const std::vector<int>& readers(const std::string& t) const {
    static const std::vector<int> none;
    auto it = m_readers.find(t);
    return it == m_readers.end() ? none : it->second;
  }
  // The one node that reads `t`, when exactly one does and it has type `op`.
  std::optional<int> only_reader(const std::string& t, const char* op) const {
    const auto& r = readers(t);
    if (r.size() != 1 || node(r[0]).op_type() != op) return std::nullopt;
    return r[0];
  }
  // For a binary node: its input other than `t`, when `t` is one of its two inputs.
  std::optional<std::string> other_input(int n, const std::string& t) const {
    const auto& nd = node(n);
    if (nd.input_size() != 2) return std::nullopt;
    if (nd.input(0) == t) return nd.input(1);
    if (nd.input(1) == t) return nd.input(0);
    return std::nullopt;
  }
  // The value of a one-element constant stored in an initializer or a Constant node.
  std::optional<double> scalar(const std::string& t) const {
    auto it = m_tensor.find(t);
    return it == m_tensor.end() ? std::nullopt : tensor_value(*it->second).scalar;
  }
  bool binary_with_constant(int n, const std::string& t) const {
    auto other = other_input(n, t);
    return other && constant(*other);
  }

 private:
  const onnx::GraphProto& m_g;
  std::unordered_set<std::string> m_const;
  std::unordered_map<std::string, std::vector<int>> m_readers;
  std::unordered_map<std::string, int> m_producer;
  std::unordered_map<std::string, const onnx::TensorProto*> m_tensor;
};

const std::string& out(const GraphIndex& ix, int n) { return ix.node(n).output(0); }

// The optional affine tail of a norm: Mul by a constant, then Add of a constant.
void affine_tail(const GraphIndex& ix, FusedGroup& g, int last) {
  if (auto m = ix.only_reader(out(ix, last), "Mul"); m && ix.binary_with_constant(*m, out(ix, last))) {
    g.nodes.push_back(last = *m);
    if (auto a = ix.only_reader(out(ix, last), "Add"); a && ix.binary_with_constant(*a, out(ix, last)))
      g.nodes.push_back(last = *a);
  }
  g.output = out(ix, last);
}

// ReduceMean(x) -> Sub(x, mean) -> Pow(., c) -> ReduceMean -> Add(., eps) -> Sqrt -> Div(sub, sqrt).
std::optional<FusedGroup> layernorm_at(const GraphIndex& ix, int r1) {
  const auto& n = ix.node(r1);
  if (n.op_type() != "ReduceMean" || n.input_size() < 1) return std::nullopt;
  const std::string& x = n.input(0);
  auto sub = ix.only_reader(out(ix, r1), "Sub");
  if (!sub || ix.node(*sub).input(0) != x || ix.node(*sub).input(1) != out(ix, r1)) return std::nullopt;
  const auto& centered = ix.readers(out(ix, *sub));
  if (centered.size() != 2) return std::nullopt;
  int pow = centered[0], div = centered[1];
  if (ix.node(pow).op_type() != "Pow") std::swap(pow, div);
  if (ix.node(pow).op_type() != "Pow" || ix.node(div).op_type() != "Div" || ix.node(pow).input(0) != out(ix, *sub) ||
      ix.scalar(ix.node(pow).input(1)) != 2.0)
    return std::nullopt;
  auto r2 = ix.only_reader(out(ix, pow), "ReduceMean");
  if (!r2) return std::nullopt;
  auto eps = ix.only_reader(out(ix, *r2), "Add");
  if (!eps || !ix.binary_with_constant(*eps, out(ix, *r2))) return std::nullopt;
  auto sqrt = ix.only_reader(out(ix, *eps), "Sqrt");
  if (!sqrt || ix.readers(out(ix, *sqrt)) != std::vector<int>{div}) return std::nullopt;
  if (ix.node(div).input(0) != out(ix, *sub) || ix.node(div).input(1) != out(ix, *sqrt)) return std::nullopt;
  FusedGroup g{FusedKind::layernorm, x, "", -1, {r1, *sub, pow, *r2, *eps, *sqrt, div}, r1};
  affine_tail(ix, g, div);
  return g;
}

// Pow(x, c) -> ReduceMean -> Add(., eps) -> Sqrt -> Reciprocal (or Div(c, .)) -> Mul(x, .) [-> Mul(w, .)].
std::optional<FusedGroup> rmsnorm_at(const GraphIndex& ix, int pow) {
  const auto& n = ix.node(pow);
  if (n.op_type() != "Pow" || n.input_size() != 2 || ix.scalar(n.input(1)) != 2.0) return std::nullopt;
  const std::string& x = n.input(0);
  auto mean = ix.only_reader(out(ix, pow), "ReduceMean");
  if (!mean) return std::nullopt;
  auto eps = ix.only_reader(out(ix, *mean), "Add");
  if (!eps || !ix.binary_with_constant(*eps, out(ix, *mean))) return std::nullopt;
  auto sqrt = ix.only_reader(out(ix, *eps), "Sqrt");
  if (!sqrt) return std::nullopt;
  std::optional<int> inv = ix.only_reader(out(ix, *sqrt), "Reciprocal");
  if (!inv) {
    inv = ix.only_reader(out(ix, *sqrt), "Div");
    if (!inv || ix.node(*inv).input(1) != out(ix, *sqrt) || !ix.constant(ix.node(*inv).input(0))) return std::nullopt;
  }
  auto scale = ix.only_reader(out(ix, *inv), "Mul");
  if (!scale || ix.other_input(*scale, out(ix, *inv)) != x) return std::nullopt;
  FusedGroup g{FusedKind::rmsnorm, x, "", -1, {pow, *mean, *eps, *sqrt, *inv, *scale}, *mean};
  int last = *scale;
  if (auto w = ix.only_reader(out(ix, last), "Mul"); w && ix.binary_with_constant(*w, out(ix, last)))
    g.nodes.push_back(last = *w);
  g.output = out(ix, last);
  return g;
}

// x * 0.5 * (1 + erf(x / sqrt(2))): Div (or Mul) by a constant, Erf, Add of a constant, then the two Muls
// by x and by 0.5 in either order.
std::optional<FusedGroup> gelu_at(const GraphIndex& ix, int erf) {
  const auto& n = ix.node(erf);
  if (n.op_type() != "Erf") return std::nullopt;
  const auto& scaled = n.input(0);
  const int d = ix.producer(scaled);
  if (d < 0 || (ix.node(d).op_type() != "Div" && ix.node(d).op_type() != "Mul") || ix.node(d).input_size() != 2 ||
      !ix.constant(ix.node(d).input(1)) || ix.readers(scaled).size() != 1)
    return std::nullopt;
  const std::string& x = ix.node(d).input(0);
  auto plus = ix.only_reader(out(ix, erf), "Add");
  if (!plus || !ix.binary_with_constant(*plus, out(ix, erf))) return std::nullopt;
  auto m1 = ix.only_reader(out(ix, *plus), "Mul");
  if (!m1) return std::nullopt;
  const auto y = ix.other_input(*m1, out(ix, *plus));
  if (!y) return std::nullopt;
  FusedGroup g{FusedKind::gelu, x, "", -1, {d, erf, *plus, *m1}, -1};
  int last = *m1;
  if (*y == x) {
    if (auto m2 = ix.only_reader(out(ix, last), "Mul"); m2 && ix.binary_with_constant(*m2, out(ix, last)))
      g.nodes.push_back(last = *m2);
  } else {
    const int half = ix.producer(*y);
    if (half < 0 || ix.node(half).op_type() != "Mul" || ix.other_input(half, x) == std::nullopt ||
        !ix.binary_with_constant(half, x) || ix.readers(*y).size() != 1)
      return std::nullopt;
    g.nodes.push_back(half);
  }
  g.output = out(ix, last);
  return g;
}

}  // namespace

Fusions find_fusions(const onnx::GraphProto& graph) {
  const GraphIndex ix(graph);
  Fusions f;
  f.group_of.assign(static_cast<std::size_t>(graph.node_size()), -1);
  for (int i = 0; i < graph.node_size(); ++i) {
    if (f.group_of[i] >= 0 || !(graph.node(i).domain().empty() || graph.node(i).domain() == "ai.onnx")) continue;
    std::optional<FusedGroup> g = layernorm_at(ix, i);
    if (!g) g = rmsnorm_at(ix, i);
    if (!g) g = gelu_at(ix, i);
    if (!g || std::any_of(g->nodes.begin(), g->nodes.end(), [&](int n) { return f.group_of[n] >= 0; })) continue;
    g->anchor = *std::max_element(g->nodes.begin(), g->nodes.end());
    for (int n : g->nodes) f.group_of[n] = static_cast<int>(f.groups.size());
    f.groups.push_back(std::move(*g));
  }
  return f;
}

}  // namespace catsim::onnx_import
