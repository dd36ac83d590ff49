#include "workloads/onnx/onnx_shapes.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>

#include "arch/checked_math.h"
#include "workloads/onnx/onnx_einsum.h"

namespace catsim::onnx_import {
namespace {

using Ints = std::vector<std::int64_t>;

[[noreturn]] void bad(const std::string& what) { throw ShapeError{what}; }

const Shape& shape_of(const Inputs& in, std::size_t i) {
  if (i >= in.size() || !in[i]) bad("input " + std::to_string(i) + " is missing");
  return in[i]->shape;
}

const Ints* ints_of(const Inputs& in, std::size_t i) {
  return i < in.size() && in[i] && in[i]->ints ? &*in[i]->ints : nullptr;
}

std::int64_t axis_in(std::int64_t axis, std::size_t rank) {
  auto a = normalize_axis(axis, rank);
  if (!a) bad("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return *a;
}

// Axes of Squeeze/Unsqueeze/Reduce*: an input from opset 13 (18 for Reduce*), an attribute before.
std::optional<Ints> axes_of(const onnx::NodeProto& n, const Inputs& in, bool from_input) {
  if (from_input) {
    if (in.size() < 2 || !in[1]) return Ints{};
    if (const Ints* v = ints_of(in, 1)) return *v;
    return std::nullopt;
  }
  auto a = attr_ints(n, "axes");
  return a ? *a : Ints{};
}

Shape broadcast_all(const Inputs& in) {
  Shape s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (!in[i]) continue;
    auto b = broadcast(s, in[i]->shape);
    if (!b) bad("input shapes do not broadcast");
    s = *b;
  }
  return s;
}

std::optional<Shape> matmul_shape_of(const Shape& a, const Shape& b) {
  if (a.empty() || b.empty()) bad("MatMul of a scalar");
  Shape x = a, y = b;
  if (x.size() == 1) x.insert(x.begin(), 1);
  if (y.size() == 1) y.push_back(1);
  if (x.back() != y[y.size() - 2]) bad("inner dimensions differ (" + std::to_string(x.back()) + " and " +
                                       std::to_string(y[y.size() - 2]) + ")");
  auto batch = broadcast(Shape(x.begin(), x.end() - 2), Shape(y.begin(), y.end() - 2));
  if (!batch) bad("batch dimensions do not broadcast");
  Shape out = *batch;
  if (a.size() > 1) out.push_back(x[x.size() - 2]);
  if (b.size() > 1) out.push_back(y.back());
  return out;
}

// The output of a sliding window (Conv, pooling) over x's spatial dimensions: `kernel` per dimension.
Shape window_shape(const onnx::NodeProto& n, const Shape& x, const Ints& kernel, std::int64_t channels_out) {
  const std::size_t spatial = x.size() - 2;
  if (kernel.size() != spatial) bad("the kernel's rank does not match the input's spatial rank");
  const Ints strides = attr_ints(n, "strides").value_or(Ints(spatial, 1));
  const Ints dilations = attr_ints(n, "dilations").value_or(Ints(spatial, 1));
  const Ints pads = attr_ints(n, "pads").value_or(Ints(2 * spatial, 0));
  const onnx::AttributeProto* ap = attr(n, "auto_pad");
  const std::string auto_pad = ap ? ap->s() : "NOTSET";
  if (strides.size() != spatial || dilations.size() != spatial || pads.size() != 2 * spatial)
    bad("strides, dilations or pads do not match the spatial rank");
  const bool ceil_mode = attr_int(n, "ceil_mode", 0) != 0;
  Shape out = {x[0], channels_out};
  for (std::size_t i = 0; i < spatial; ++i) {
    if (strides[i] < 1 || kernel[i] < 1 || dilations[i] < 1 || pads[i] < 0 || pads[i + spatial] < 0)
      bad("a stride, kernel size or dilation below 1, or a negative pad");
    const std::int64_t in = x[2 + i], s = strides[i];
    const std::int64_t k = add_i64(mul_i64(kernel[i] - 1, dilations[i], "the window"), 1, "the window");
    const std::int64_t padded = add_i64(add_i64(in, pads[i], "padding"), pads[i + spatial], "padding");
    std::int64_t o;
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") o = (in - 1) / s + 1;
    else if (auto_pad == "VALID") o = in < k ? 0 : (in - k) / s + 1;
    else o = padded < k ? 0 : (padded - k + (ceil_mode ? s - 1 : 0)) / s + 1;
    if (o < 1) bad("the window does not fit the input");
    out.push_back(o);
  }
  return out;
}

Shape conv_shape(const onnx::NodeProto& n, const Shape& x, const Shape& w) {
  if (x.size() < 3 || w.size() != x.size()) bad("Conv needs an input of rank >= 3 and a filter of the same rank");
  const std::int64_t group = attr_int(n, "group", 1);
  if (group < 1 || x[1] % group != 0 || w[0] % group != 0 || mul_i64(w[1], group, "channels") != x[1])
    bad("channels " + std::to_string(x[1]) + ", filters " + std::to_string(w[0]) + " and group " +
        std::to_string(group) + " do not agree");
  return window_shape(n, x, Ints(w.begin() + 2, w.end()), w[0]);
}

// ConvTranspose: x [N, C, in...] and w [C, filters/group, kernel...] give [N, filters, out...], where each
// out = stride·(in − 1) + output_padding + (kernel − 1)·dilation + 1 − pads (in·stride under SAME), or the
// output_shape attribute's value.
Shape conv_transpose_shape(const onnx::NodeProto& n, const Shape& x, const Shape& w) {
  if (x.size() < 3 || w.size() != x.size()) bad("ConvTranspose needs an input of rank >= 3 and a filter of the same rank");
  const std::size_t spatial = x.size() - 2;
  const std::int64_t group = attr_int(n, "group", 1);
  if (group < 1 || x[1] != w[0] || x[1] % group != 0)
    bad("channels " + std::to_string(x[1]) + ", the filter's " + std::to_string(w[0]) + " and group " +
        std::to_string(group) + " do not agree");
  const Ints strides = attr_ints(n, "strides").value_or(Ints(spatial, 1));
  const Ints dilations = attr_ints(n, "dilations").value_or(Ints(spatial, 1));
  const Ints pads = attr_ints(n, "pads").value_or(Ints(2 * spatial, 0));
  const Ints extra = attr_ints(n, "output_padding").value_or(Ints(spatial, 0));
  const std::optional<Ints> given = attr_ints(n, "output_shape");
  const onnx::AttributeProto* ap = attr(n, "auto_pad");
  const std::string auto_pad = ap ? ap->s() : "NOTSET";
  if (strides.size() != spatial || dilations.size() != spatial || pads.size() != 2 * spatial || extra.size() != spatial ||
      (given && given->size() != spatial && given->size() != spatial + 2))
    bad("strides, dilations, pads, output_padding or output_shape do not match the spatial rank");
  Shape out = {x[0], mul_i64(w[1], group, "filters")};
  for (std::size_t i = 0; i < spatial; ++i) {
    if (strides[i] < 1 || dilations[i] < 1 || pads[i] < 0 || pads[i + spatial] < 0 || extra[i] < 0)
      bad("a stride or dilation below 1, or a negative pad or output padding");
    std::int64_t o;
    if (given) {
      o = (*given)[given->size() - spatial + i];
    } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      o = mul_i64(x[2 + i], strides[i], "ConvTranspose");
    } else {
      const std::int64_t window = add_i64(mul_i64(w[2 + i] - 1, dilations[i], "the window"), 1, "the window");
      const std::int64_t full = add_i64(add_i64(mul_i64(strides[i], x[2 + i] - 1, "ConvTranspose"), extra[i], "ConvTranspose"),
                                        window, "ConvTranspose");
      o = auto_pad == "VALID" ? full : full - pads[i] - pads[i + spatial];
    }
    if (o < 1) bad("an output dimension of " + std::to_string(o));
    out.push_back(o);
  }
  return out;
}

Shape pool_shape(const onnx::NodeProto& n, const Shape& x) {
  if (x.size() < 3) bad("pooling needs an input of rank >= 3");
  auto kernel = attr_ints(n, "kernel_shape");
  if (!kernel) bad("pooling without kernel_shape");
  return window_shape(n, x, *kernel, x[1]);
}

// Reshape's target: 0 copies the input's dimension (unless allowzero), -1 takes what is left.
Shape reshape_shape(const onnx::NodeProto& n, const Shape& in, const Ints& target) {
  Shape out(target.begin(), target.end());
  const bool allowzero = attr_int(n, "allowzero", 0) != 0;
  std::int64_t known = 1, infer = -1;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0 && !allowzero) {
      if (i >= in.size()) bad("a 0 in the target shape has no input dimension to copy");
      out[i] = in[i];
    }
    if (out[i] == -1) {
      if (infer >= 0) bad("more than one -1 in the target shape");
      infer = static_cast<std::int64_t>(i);
    } else if (out[i] < 0) {
      bad("negative dimension in the target shape");
    } else {
      known = mul_i64(known, out[i], "Reshape's target");
    }
  }
  std::int64_t total = 1;
  for (std::int64_t d : in) total = mul_i64(total, d, "Reshape's input");
  if (infer >= 0) {
    if (known == 0 || total % known != 0) bad("the input's elements cannot fill the target shape");
    out[infer] = total / known;
  } else if (known != total) {
    bad("the target shape holds " + std::to_string(known) + " elements, the input " + std::to_string(total));
  }
  return out;
}

// Slice along the given axes: the ONNX clamping rules for starts and ends, positive and negative steps.
Shape slice_shape(const Shape& in, const Ints& starts, const Ints& ends, const Ints& axes, const Ints& steps,
                  std::vector<std::array<std::int64_t, 3>>* ranges = nullptr) {
  if (starts.size() != ends.size() || axes.size() != starts.size() || steps.size() != starts.size())
    bad("starts, ends, axes and steps differ in length");
  Shape out = in;
  for (std::size_t j = 0; j < starts.size(); ++j) {
    const std::int64_t a = axis_in(axes[j], in.size()), d = in[a], step = steps[j];
    if (step == 0 || step == std::numeric_limits<std::int64_t>::min()) bad("a step of 0 or -2^63");
    // The spec's clamping: a negative index counts from the end, then starts and ends are clamped to
    // [0, d] (positive steps) or to [0, d - 1] and [-1, d - 1] (negative steps).
    std::int64_t s = starts[j], e = ends[j];
    if (s < 0) s = s < -d ? -d - 1 : s + d;
    if (e < 0) e = e < -d ? -d - 1 : e + d;
    std::int64_t len;
    if (step > 0) {
      s = std::clamp<std::int64_t>(s, 0, d), e = std::clamp<std::int64_t>(e, 0, d);
      len = e > s ? (e - s - 1) / step + 1 : 0;
    } else {
      s = std::clamp<std::int64_t>(s, 0, d - 1), e = std::clamp<std::int64_t>(e, -1, d - 1);
      len = s > e ? (s - e - 1) / (-step) + 1 : 0;
    }
    out[a] = len;
    if (ranges) ranges->push_back({a, s, step});
  }
  return out;
}

struct SliceArgs {
  Ints starts, ends, axes, steps;
};

std::optional<SliceArgs> slice_args(const onnx::NodeProto& n, const Inputs& in, std::int64_t opset) {
  SliceArgs s;
  if (opset < 10) {
    auto st = attr_ints(n, "starts"), en = attr_ints(n, "ends");
    if (!st || !en) bad("Slice needs starts and ends");
    s.starts = *st, s.ends = *en;
    s.axes = attr_ints(n, "axes").value_or(Ints{});
  } else {
    const Ints *st = ints_of(in, 1), *en = ints_of(in, 2);
    if (!st || !en) return std::nullopt;
    s.starts = *st, s.ends = *en;
    if (in.size() > 3 && in[3]) {
      if (!ints_of(in, 3)) return std::nullopt;
      s.axes = *ints_of(in, 3);
    }
    if (in.size() > 4 && in[4]) {
      if (!ints_of(in, 4)) return std::nullopt;
      s.steps = *ints_of(in, 4);
    }
  }
  if (s.axes.empty())
    for (std::size_t i = 0; i < s.starts.size(); ++i) s.axes.push_back(static_cast<std::int64_t>(i));
  if (s.steps.empty()) s.steps.assign(s.starts.size(), 1);
  return s;
}

Shape squeeze_shape(const Shape& in, const Ints& axes_given) {
  std::set<std::int64_t> axes;
  for (std::int64_t a : axes_given) axes.insert(axis_in(a, in.size()));
  Shape out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const bool drop = axes.empty() ? in[i] == 1 : axes.count(static_cast<std::int64_t>(i)) > 0;
    if (drop && in[i] != 1) bad("Squeeze of a dimension of size " + std::to_string(in[i]));
    if (!drop) out.push_back(in[i]);
  }
  return out;
}

Shape unsqueeze_shape(const Shape& in, const Ints& axes_given) {
  const std::size_t rank = in.size() + axes_given.size();
  if (rank > kMaxRank) bad("an output of rank " + std::to_string(rank) + " (catsim models at most 64)");
  std::set<std::int64_t> axes;
  for (std::int64_t a : axes_given) axes.insert(axis_in(a, rank));
  if (axes.size() != axes_given.size()) bad("Unsqueeze with a repeated axis");
  Shape out;
  std::size_t j = 0;
  for (std::size_t i = 0; i < rank; ++i) out.push_back(axes.count(static_cast<std::int64_t>(i)) ? 1 : in[j++]);
  return out;
}

Shape reduce_shape(const onnx::NodeProto& n, const Shape& in, const Ints& axes_given) {
  const bool keep = attr_int(n, "keepdims", 1) != 0;
  std::set<std::int64_t> axes;
  for (std::int64_t a : axes_given) axes.insert(axis_in(a, in.size()));
  if (axes.empty() && attr_int(n, "noop_with_empty_axes", 0) != 0) return in;
  Shape out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const bool reduced = axes.empty() || axes.count(static_cast<std::int64_t>(i));
    if (!reduced) out.push_back(in[i]);
    else if (keep) out.push_back(1);
  }
  return out;
}

bool same_shape_op(const std::string& op) {
  static const std::set<std::string> ops = {"Identity", "Cast", "Dropout", "Relu", "Tanh", "Sigmoid", "Erf", "Sqrt",
                                            "Reciprocal", "Neg", "Exp", "Abs", "Softmax", "LayerNormalization",
                                            "Not", "Floor", "Ceil", "Log", "HardSigmoid", "HardSwish", "LeakyRelu",
                                            "Gelu", "Clip", "CastLike", "Elu", "Selu", "Softplus",
                                            "Round", "Sign"};
  return ops.count(op) > 0;
}

bool elementwise_op(const std::string& op) {
  static const std::set<std::string> ops = {"Add", "Sub", "Mul", "Div", "Pow", "Equal", "Less", "Greater",
                                            "LessOrEqual", "GreaterOrEqual", "Max", "Min", "And", "Or", "Xor", "Where", "Mod"};
  return ops.count(op) > 0;
}

}  // namespace

Shape matmul_output(const Shape& a, const Shape& b) { return *matmul_shape_of(a, b); }

void gemm_operands(const onnx::NodeProto& node, Shape& a, Shape& b) {
  if (a.size() != 2 || b.size() != 2) bad("Gemm needs matrices");
  if (attr_int(node, "transA", 0)) std::swap(a[0], a[1]);
  if (attr_int(node, "transB", 0)) std::swap(b[0], b[1]);
}
Shape conv_output(const onnx::NodeProto& node, const Shape& x, const Shape& w) { return conv_shape(node, x, w); }

const onnx::AttributeProto* attr(const onnx::NodeProto& node, const std::string& name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

std::int64_t attr_int(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback) {
  const auto* a = attr(node, name);
  return a ? a->i() : fallback;
}

std::optional<std::vector<std::int64_t>> attr_ints(const onnx::NodeProto& node, const std::string& name) {
  const auto* a = attr(node, name);
  if (!a) return std::nullopt;
  return std::vector<std::int64_t>(a->ints().begin(), a->ints().end());
}

namespace {

std::optional<std::vector<Shape>> shapes_by_rule(const onnx::NodeProto& n, const Inputs& in, std::int64_t opset) {
  const std::string& op = n.op_type();
  auto one = [](Shape s) { return std::optional<std::vector<Shape>>(std::vector<Shape>{std::move(s)}); };
  if (same_shape_op(op)) {
    std::vector<Shape> out(static_cast<std::size_t>(n.output_size()), shape_of(in, 0));
    return out;
  }
  if (elementwise_op(op)) return one(broadcast_all(in));
  if (op == "MatMul" || op == "MatMulInteger") return one(*matmul_shape_of(shape_of(in, 0), shape_of(in, 1)));
  if (op == "QLinearMatMul") return one(*matmul_shape_of(shape_of(in, 0), shape_of(in, 3)));
  if (op == "Einsum") {
    const onnx::AttributeProto* eq = attr(n, "equation");
    if (!eq || in.size() != 2) bad("Einsum: two operands and an equation are modelled");
    return one(einsum_plan(eq->s(), shape_of(in, 0), shape_of(in, 1)).out);
  }
  if (op == "Pad") {
    const Shape& s = shape_of(in, 0);
    std::optional<Ints> pads = opset < 11 ? attr_ints(n, "pads") : (ints_of(in, 1) ? std::optional<Ints>(*ints_of(in, 1))
                                                                                 : std::nullopt);
    if (!pads) return std::nullopt;
    if (pads->size() != 2 * s.size()) bad("pads has " + std::to_string(pads->size()) + " values for rank " +
                                          std::to_string(s.size()));
    Shape out = s;
    for (std::size_t d = 0; d < s.size(); ++d) out[d] = add_i64(add_i64(s[d], (*pads)[d], "Pad"), (*pads)[d + s.size()], "Pad");
    return one(out);
  }
  if (op == "Tile") {
    const Ints* repeats = ints_of(in, 1);
    const Shape& s = shape_of(in, 0);
    if (!repeats) return std::nullopt;
    if (repeats->size() != s.size()) bad("repeats does not match the rank");
    Shape out = s;
    for (std::size_t d = 0; d < s.size(); ++d) out[d] = mul_i64(s[d], (*repeats)[d], "Tile");
    return one(out);
  }
  if (op == "Resize" || op == "Upsample") {
    const Shape& s = shape_of(in, 0);
    if (op == "Resize" && in.size() > 3 && in[3]) {  // sizes
      const Ints* sizes = ints_of(in, 3);
      if (!sizes) return std::nullopt;
      if (sizes->size() != s.size()) bad("sizes does not match the rank");
      return one(Shape(sizes->begin(), sizes->end()));
    }
    const std::size_t at = op == "Resize" ? (opset >= 11 ? 2 : 1) : 1;
    std::vector<double> scales;
    if (at < in.size() && in[at] && in[at]->reals) scales = *in[at]->reals;
    else if (const onnx::AttributeProto* a = attr(n, "scales")) scales.assign(a->floats().begin(), a->floats().end());
    else return std::nullopt;
    if (scales.size() != s.size()) bad("scales does not match the rank");
    Shape out = s;
    for (std::size_t d = 0; d < s.size(); ++d) {
      const double v = static_cast<double>(s[d]) * scales[d];
      if (!(v >= 1 && v < 9.2e18)) bad("a scale gives an output dimension below 1 or beyond 64 bits");
      out[d] = static_cast<std::int64_t>(v);
    }
    return one(out);
  }
  if (op == "DepthToSpace" || op == "SpaceToDepth") {
    const Shape& s = shape_of(in, 0);
    const std::int64_t b = attr_int(n, "blocksize", 0);
    if (s.size() != 4 || b < 1) bad("needs a 4-D input and a blocksize");
    const std::int64_t bb = mul_i64(b, b, "blocksize squared");
    if (op == "DepthToSpace") {
      if (s[1] % bb != 0) bad("channels do not divide by blocksize squared");
      return one({s[0], s[1] / bb, mul_i64(s[2], b, "DepthToSpace"), mul_i64(s[3], b, "DepthToSpace")});
    }
    if (s[2] % b != 0 || s[3] % b != 0) bad("height or width does not divide by blocksize");
    return one({s[0], mul_i64(s[1], bb, "SpaceToDepth"), s[2] / b, s[3] / b});
  }
  if (op == "ConvInteger") return one(conv_shape(n, shape_of(in, 0), shape_of(in, 1)));
  if (op == "QLinearConv") return one(conv_shape(n, shape_of(in, 0), shape_of(in, 3)));
  if (op == "MaxPool" || op == "AveragePool") {
    std::vector<Shape> out(static_cast<std::size_t>(n.output_size()), pool_shape(n, shape_of(in, 0)));
    return out;
  }
  if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
    Shape s = shape_of(in, 0);
    if (s.size() < 3) bad("pooling needs an input of rank >= 3");
    for (std::size_t d = 2; d < s.size(); ++d) s[d] = 1;
    return one(s);
  }
  if (op == "DynamicQuantizeLinear") return std::vector<Shape>{shape_of(in, 0), Shape{}, Shape{}};
  if (op == "QuantizeLinear" || op == "DequantizeLinear" || op == "BatchNormalization")
    return std::vector<Shape>(static_cast<std::size_t>(n.output_size()), shape_of(in, 0));
  if (op == "Gemm") {
    Shape a = shape_of(in, 0), b = shape_of(in, 1);
    gemm_operands(n, a, b);
    return one(*matmul_shape_of(a, b));
  }
  if (op == "Conv") return one(conv_shape(n, shape_of(in, 0), shape_of(in, 1)));
  if (op == "ConvTranspose") return one(conv_transpose_shape(n, shape_of(in, 0), shape_of(in, 1)));
  if (op == "Constant") return std::nullopt;  // the walk reads the tensor itself
  if (op == "Shape") {
    const auto r = static_cast<std::int64_t>(shape_of(in, 0).size());
    std::int64_t s = attr_int(n, "start", 0), e = attr_int(n, "end", r);
    s = std::clamp<std::int64_t>(s < 0 ? s + r : s, 0, r), e = std::clamp<std::int64_t>(e < 0 ? e + r : e, 0, r);
    return one({std::max<std::int64_t>(e - s, 0)});
  }
  if (op == "Size") return one({});
  if (op == "Reshape") {
    const Ints* t = ints_of(in, 1);
    if (!t) return std::nullopt;
    return one(reshape_shape(n, shape_of(in, 0), *t));
  }
  if (op == "Flatten") {
    const Shape& s = shape_of(in, 0);
    const std::int64_t axis = attr_int(n, "axis", 1);
    const std::int64_t a = axis < 0 ? axis + static_cast<std::int64_t>(s.size()) : axis;
    if (a < 0 || a > static_cast<std::int64_t>(s.size())) bad("axis out of range");
    std::int64_t outer = 1, inner = 1;
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(s.size()); ++i)
      (i < a ? outer : inner) = mul_i64(i < a ? outer : inner, s[i], "Flatten");
    return one({outer, inner});
  }
  if (op == "Transpose") {
    const Shape& s = shape_of(in, 0);
    Ints perm = attr_ints(n, "perm").value_or(Ints{});
    if (perm.empty())
      for (std::size_t i = s.size(); i-- > 0;) perm.push_back(static_cast<std::int64_t>(i));
    if (perm.size() != s.size()) bad("perm has " + std::to_string(perm.size()) + " entries for rank " + std::to_string(s.size()));
    Shape out;
    for (std::int64_t p : perm) out.push_back(s[axis_in(p, s.size())]);
    return one(out);
  }
  if (op == "Squeeze" || op == "Unsqueeze") {
    auto axes = axes_of(n, in, opset >= 13);
    if (!axes) return std::nullopt;
    return one(op == "Squeeze" ? squeeze_shape(shape_of(in, 0), *axes) : unsqueeze_shape(shape_of(in, 0), *axes));
  }
  if (op == "ReduceMean" || op == "ReduceSum" || op == "ReduceMax" || op == "ReduceMin" || op == "ReduceProd") {
    auto axes = axes_of(n, in, op == "ReduceSum" ? opset >= 13 : opset >= 18);
    if (!axes) return std::nullopt;
    return one(reduce_shape(n, shape_of(in, 0), *axes));
  }
  if (op == "Concat") {
    Shape out = shape_of(in, 0);
    const std::int64_t a = axis_in(attr_int(n, "axis", 0), out.size());
    for (std::size_t i = 1; i < in.size(); ++i) {
      const Shape& s = shape_of(in, i);
      if (s.size() != out.size()) bad("inputs of different ranks");
      out[a] = add_i64(out[a], s[a], "Concat");
    }
    return one(out);
  }
  if (op == "Split") {
    const Shape& s = shape_of(in, 0);
    const std::int64_t a = axis_in(attr_int(n, "axis", 0), s.size());
    Ints parts;
    if (opset >= 13 && in.size() > 1 && in[1]) {
      if (!ints_of(in, 1)) return std::nullopt;
      parts = *ints_of(in, 1);
    } else if (auto sp = attr_ints(n, "split")) {
      parts = *sp;
    } else {
      const std::int64_t k = n.output_size();
      for (std::int64_t i = 0; i < k; ++i) parts.push_back(s[a] / k + (i < s[a] % k ? 1 : 0));
    }
    if (static_cast<int>(parts.size()) != n.output_size()) bad("split sizes do not match the outputs");
    std::vector<Shape> out;
    for (std::int64_t p : parts) {
      Shape o = s;
      o[a] = p;
      out.push_back(o);
    }
    return out;
  }
  if (op == "Slice") {
    const Shape& s = shape_of(in, 0);
    auto args = slice_args(n, in, opset);
    if (!args) return std::nullopt;
    return one(slice_shape(s, args->starts, args->ends, args->axes, args->steps));
  }
  if (op == "Gather") {
    const Shape &data = shape_of(in, 0), &idx = shape_of(in, 1);
    const std::int64_t a = axis_in(attr_int(n, "axis", 0), data.size());
    Shape out(data.begin(), data.begin() + a);
    out.insert(out.end(), idx.begin(), idx.end());
    out.insert(out.end(), data.begin() + a + 1, data.end());
    return one(out);
  }
  if (op == "ConstantOfShape" || op == "Expand") {
    const Ints* t = ints_of(in, op == "Expand" ? 1 : 0);
    if (!t) return std::nullopt;
    if (op == "ConstantOfShape") return one(Shape(t->begin(), t->end()));
    auto b = broadcast(shape_of(in, 0), Shape(t->begin(), t->end()));
    if (!b) bad("the target shape does not broadcast");
    return one(*b);
  }
  if (op == "Range") {
    const Ints *s = ints_of(in, 0), *l = ints_of(in, 1), *d = ints_of(in, 2);
    if (!s || !l || !d || s->size() != 1 || l->size() != 1 || d->size() != 1 || (*d)[0] == 0) return std::nullopt;
    const __int128 span = static_cast<__int128>((*l)[0]) - (*s)[0], step = (*d)[0];
    const __int128 whole = span / step + (span % step != 0 ? 1 : 0);  // ceil((limit - start) / delta)
    if (whole > static_cast<__int128>(kMaxFoldedInts) * 1024) bad("a Range of more than 2^26 elements");
    const auto len = static_cast<std::int64_t>(whole);
    return one({std::max<std::int64_t>(len, 0)});
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<Shape>> output_shapes(const onnx::NodeProto& n, const Inputs& in, std::int64_t opset) {
  for (const Value* v : in)
    if (v && v->shape.size() > kMaxRank) bad("an input of rank " + std::to_string(v->shape.size()));
  auto shapes = shapes_by_rule(n, in, opset);
  if (shapes)
    for (const Shape& s : *shapes) {
      if (s.size() > kMaxRank) bad("an output of rank " + std::to_string(s.size()) + " (catsim models at most 64)");
      for (std::int64_t d : s)
        if (d < 0) bad("an output dimension of " + std::to_string(d));
    }
  return shapes;
}

std::optional<std::vector<std::int64_t>> fold_ints(const onnx::NodeProto& n, const Inputs& in, const Shape& out_shape,
                                                   std::int64_t opset) {
  const std::string& op = n.op_type();
  std::int64_t count = 1;
  for (std::int64_t d : out_shape) {
    if (d < 0 || d > static_cast<std::int64_t>(kMaxFoldedInts)) return std::nullopt;
    count *= d;
    if (count > static_cast<std::int64_t>(kMaxFoldedInts)) return std::nullopt;
  }
  if (op == "Shape") {
    const Shape& s = shape_of(in, 0);
    const auto r = static_cast<std::int64_t>(s.size());
    std::int64_t b = attr_int(n, "start", 0);
    b = std::clamp<std::int64_t>(b < 0 ? b + r : b, 0, r);
    return Ints(s.begin() + b, s.begin() + b + count);
  }
  if (op == "Size") {
    std::int64_t e = 1;
    for (std::int64_t d : shape_of(in, 0)) e = mul_i64(e, d, "Size");
    return Ints{e};
  }
  if (op == "Constant" || op == "Range") {
    if (op == "Constant") return std::nullopt;
    const Ints *s = ints_of(in, 0), *d = ints_of(in, 2);
    if (!s || !d || s->size() != 1 || d->size() != 1) return std::nullopt;  // a float Range: shape only
    Ints out;
    for (std::int64_t i = 0; i < count; ++i) out.push_back(add_i64((*s)[0], mul_i64(i, (*d)[0], "Range"), "Range"));
    return out;
  }
  if (op == "ConstantOfShape") {
    const auto* v = attr(n, "value");
    std::int64_t fill = 0;
    if (v && v->has_t()) {
      Value t = tensor_value(v->t());
      if (!t.ints || t.ints->size() != 1) return std::nullopt;
      fill = t.ints->front();
    }
    return Ints(static_cast<std::size_t>(count), fill);
  }
  // Everything below reads its first input's value.
  const Ints* x = ints_of(in, 0);
  if (!x) return std::nullopt;
  if (op == "Cast" && attr_int(n, "to", 0) == onnx::TensorProto::BOOL) {
    Ints out;
    for (std::int64_t v : *x) out.push_back(v != 0);
    return out;
  }
  if (op == "Identity" || op == "Cast" || op == "Reshape" || op == "Squeeze" || op == "Unsqueeze" || op == "Flatten")
    return *x;
  if (op == "Not") {
    Ints out;
    for (std::int64_t v : *x) out.push_back(v == 0);
    return out;
  }
  if (op == "Concat") {
    if (out_shape.size() != 1) return std::nullopt;
    Ints out;
    for (std::size_t i = 0; i < in.size(); ++i) {
      const Ints* v = ints_of(in, i);
      if (!v) return std::nullopt;
      out.insert(out.end(), v->begin(), v->end());
    }
    return out;
  }
  if (op == "Gather") {
    const Ints* idx = ints_of(in, 1);
    if (!idx || shape_of(in, 0).size() != 1) return std::nullopt;
    Ints out;
    const auto size = static_cast<std::int64_t>(x->size());
    for (std::int64_t i : *idx) {
      const std::int64_t j = i < 0 ? i + size : i;
      if (j < 0 || j >= size) bad("index " + std::to_string(i) + " out of range");
      out.push_back((*x)[j]);
    }
    return out;
  }
  if (op == "Slice" || op == "Transpose") {
    // Every output element's input index, dimension by dimension (row-major), for a small integer tensor:
    // PyTorch writes F.pad's pads as Concat -> Reshape -> Slice (reversed) -> Transpose -> Reshape.
    const Shape& s = shape_of(in, 0);
    std::vector<std::int64_t> start(s.size(), 0), step(s.size(), 1), from(s.size());
    for (std::size_t d = 0; d < s.size(); ++d) from[d] = static_cast<std::int64_t>(d);
    if (op == "Slice") {
      auto args = slice_args(n, in, opset);
      if (!args) return std::nullopt;
      std::vector<std::array<std::int64_t, 3>> ranges;
      slice_shape(s, args->starts, args->ends, args->axes, args->steps, &ranges);
      for (const auto& [axis, first, by] : ranges) start[axis] = first, step[axis] = by;
    } else {
      const Ints perm = attr_ints(n, "perm").value_or(Ints{});
      for (std::size_t d = 0; d < s.size(); ++d)
        from[d] = perm.empty() ? static_cast<std::int64_t>(s.size() - 1 - d) : axis_in(perm[d], s.size());
    }
    std::vector<std::int64_t> stride(s.size(), 1);
    for (std::size_t d = s.size(); d-- > 1;) stride[d - 1] = stride[d] * s[d];
    Ints out;
    std::vector<std::int64_t> at(out_shape.size(), 0);
    for (std::int64_t i = 0; i < count; ++i) {
      std::int64_t index = 0;
      for (std::size_t d = 0; d < at.size(); ++d) {
        const auto src = static_cast<std::size_t>(from[d]);
        index += (start[src] + at[d] * step[src]) * stride[src];
      }
      if (index < 0 || index >= static_cast<std::int64_t>(x->size())) return std::nullopt;
      out.push_back((*x)[static_cast<std::size_t>(index)]);
      for (std::size_t d = at.size(); d-- > 0;)
        if (++at[d] < out_shape[d]) break;
        else at[d] = 0;
    }
    return out;
  }
  if (op == "Expand") {
    if (x->size() == static_cast<std::size_t>(count)) return *x;
    if (x->size() == 1) return Ints(static_cast<std::size_t>(count), x->front());
    return std::nullopt;
  }
  if (elementwise_op(op) && op != "Where" && in.size() == 2) {
    const Ints* y = ints_of(in, 1);
    if (!y) return std::nullopt;
    Ints out;
    if ((x->size() != 1 && x->size() != static_cast<std::size_t>(count)) ||
        (y->size() != 1 && y->size() != static_cast<std::size_t>(count)))
      return std::nullopt;
    for (std::int64_t i = 0; i < count; ++i) {
      const std::int64_t a = (*x)[x->size() == 1 ? 0 : static_cast<std::size_t>(i)];
      const std::int64_t b = (*y)[y->size() == 1 ? 0 : static_cast<std::size_t>(i)];
      std::int64_t r = 0;
      if (op == "Add") out.push_back(add_i64(a, b, "Add"));
      else if (op == "Sub") {
        if (__builtin_sub_overflow(a, b, &r)) bad("an integer Sub overflows 64 bits");
        out.push_back(r);
      } else if (op == "Mul") out.push_back(mul_i64(a, b, "Mul"));
      else if (op == "Div") {
        if (b == 0) bad("division by zero");
        if (a == std::numeric_limits<std::int64_t>::min() && b == -1) bad("an integer Div overflows 64 bits");
        out.push_back(a / b);
      } else if (op == "Equal") out.push_back(a == b);
      else if (op == "Less") out.push_back(a < b);
      else if (op == "Greater") out.push_back(a > b);
      else if (op == "LessOrEqual") out.push_back(a <= b);
      else if (op == "GreaterOrEqual") out.push_back(a >= b);
      else if (op == "And") out.push_back(a != 0 && b != 0);
      else if (op == "Or") out.push_back(a != 0 || b != 0);
      else if (op == "Xor") out.push_back((a != 0) != (b != 0));
      else if (op == "Max") out.push_back(std::max(a, b));
      else if (op == "Min") out.push_back(std::min(a, b));
      else return std::nullopt;
    }
    return out;
  }
  if (op == "Where" && in.size() == 3) {
    const Ints *y = ints_of(in, 1), *z = ints_of(in, 2);
    if (!y || !z) return std::nullopt;
    auto at = [&](const Ints& v, std::int64_t i) { return v[v.size() == 1 ? 0 : static_cast<std::size_t>(i)]; };
    for (const Ints* v : {x, y, z})
      if (v->size() != 1 && v->size() != static_cast<std::size_t>(count)) return std::nullopt;
    Ints out;
    for (std::int64_t i = 0; i < count; ++i) out.push_back(at(*x, i) ? at(*y, i) : at(*z, i));
    return out;
  }
  return std::nullopt;
}

}  // namespace catsim::onnx_import
