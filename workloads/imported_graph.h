#pragma once
// A model imported from an exported graph (ONNX): its ops with exact shapes, already lowered onto catsim's
// op kinds, and what the file says about itself. Operand bytes are priced later, at the model's precision.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "workloads/op_graph.h"

namespace catsim {

struct ImportedGraph {
  std::string file;       // as given
  std::string sha256;     // of the .onnx file's bytes
  std::string graph_name, producer, producer_version;
  std::int64_t ir_version = 0, opset = 0;  // opset of the default domain
  std::vector<std::pair<std::string, std::int64_t>> bound_dims;  // symbolic dimensions and their values
  // Ops with shapes, MACs, operand roles and dependencies; bytes and precisions are set by lower().
  std::vector<Op> ops;
  std::int64_t parameter_elements = 0;  // initializers and Constant nodes, as the exporter stored them
  std::uint64_t parameter_bytes = 0;
  Precision weights = Precision::fp32;      // the stored weights' type
  Precision activations = Precision::fp32;  // the graph inputs' / activations' float type
  int nodes = 0, folded_nodes = 0, view_nodes = 0;  // graph nodes; of them: constant-folded, free views
};

}  // namespace catsim
