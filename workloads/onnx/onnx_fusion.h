#pragma once
// Recognizes the decomposed forms exporters write for one op: LayerNorm as ReduceMean/Sub/Pow/ReduceMean/
// Add/Sqrt/Div (then Mul and Add for the affine part), RMSNorm as Pow/ReduceMean/Add/Sqrt/Reciprocal/Mul,
// and erf-GELU as Div/Erf/Add/Mul/Mul. Each group lowers to the one vector op it computes.

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

namespace catsim::onnx_import {

enum class FusedKind { layernorm, rmsnorm, gelu };

struct FusedGroup {
  FusedKind kind;
  std::string input, output;  // the tensor normalized or activated; the group's result
  int anchor = -1;            // the group's last node: where the walk emits its op
  std::vector<int> nodes;
  int reduce = -1;            // a norm's ReduceMean over x: its axes are the normalized ones
};

struct Fusions {
  std::vector<FusedGroup> groups;
  std::vector<int> group_of;  // per node: its group's index, or -1
};

Fusions find_fusions(const onnx::GraphProto& graph);

}  // namespace catsim::onnx_import
