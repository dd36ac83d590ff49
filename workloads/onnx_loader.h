#pragma once
// Reads an ONNX graph through the importer module (libcatsim_onnx.so), which is loaded on the first
// .onnx model so that no other run loads libonnx and protobuf.

#include <memory>

#include "arch/config/error.h"
#include "workloads/onnx/onnx_entry.h"

namespace catsim {

// True when the file name ends in .onnx (the main command then reads MODEL as an ONNX graph).
bool is_onnx_file(const std::string& file);

// A graph with nodes the importer cannot lower: one line names the first (with a count of the others),
// `nodes` names every one (catsim info --list-unsupported prints them).
class UnsupportedOnnxNodes : public ConfigError {
 public:
  UnsupportedOnnxNodes(SourceLocation where, const std::string& what, std::vector<std::string> nodes)
      : ConfigError(std::move(where), "", what), m_nodes(std::move(nodes)) {}
  const std::vector<std::string>& nodes() const { return m_nodes; }

 private:
  std::vector<std::string> m_nodes;
};

// The imported graph; its problems are ConfigErrors at `where` (the model file, or the `file` key naming
// the graph), keyed as the importer names them.
std::shared_ptr<const ImportedGraph> import_onnx(const OnnxRequest& request, const SourceLocation& where);

}  // namespace catsim
