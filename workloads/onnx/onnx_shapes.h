#pragma once
// Output shapes of ONNX nodes from their inputs' shapes (and, where a shape is data, from the integer
// values of constant inputs), and the integer values of the constant shape arithmetic exporters write
// (Shape -> Gather -> Unsqueeze -> Concat -> Reshape). Only what the ONNX operator specs define.

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>
#include <vector>

#include "workloads/onnx/onnx_values.h"

namespace catsim::onnx_import {

// A node's inputs as the walk knows them (nullptr for an omitted optional input).
using Inputs = std::vector<const Value*>;

// Thrown when a node's inputs contradict its spec (shapes that do not broadcast, an axis out of range).
struct ShapeError {
  std::string what;
};

// The shapes of a node's outputs; nullopt when the importer has no rule for its op type or needs an input's
// value it does not know. `opset` is the default domain's version (Squeeze, Slice and others moved attributes
// into inputs over the versions).
std::optional<std::vector<Shape>> output_shapes(const onnx::NodeProto& node, const Inputs& in, std::int64_t opset);

// The integer value of a node's first output when its inputs' values are known; nullopt otherwise.
std::optional<std::vector<std::int64_t>> fold_ints(const onnx::NodeProto& node, const Inputs& in,
                                                   const Shape& out_shape, std::int64_t opset);

// MatMul's output (numpy rules, rank-1 operands promoted), and Conv's (filters x output pixels).
Shape matmul_output(const Shape& a, const Shape& b);
Shape conv_output(const onnx::NodeProto& node, const Shape& x, const Shape& w);
// Gemm's A and B as the product reads them: matrices, transposed as transA and transB say.
void gemm_operands(const onnx::NodeProto& node, Shape& a, Shape& b);

// Attributes.
std::int64_t attr_int(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback);
std::optional<std::vector<std::int64_t>> attr_ints(const onnx::NodeProto& node, const std::string& name);
const onnx::AttributeProto* attr(const onnx::NodeProto& node, const std::string& name);

}  // namespace catsim::onnx_import
