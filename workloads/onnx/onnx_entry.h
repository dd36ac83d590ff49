#pragma once
// The ONNX importer's entry point. The importer (libonnx and protobuf) lives in its own module,
// libcatsim_onnx.so, loaded on the first .onnx model, so that no other command pays for loading it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "workloads/imported_graph.h"

namespace catsim {

struct OnnxRequest {
  std::string file;
  std::string key_prefix;  // what the bindings' keys are nested in, for errors ("" at the top of model.yaml)
  std::map<std::string, std::int64_t> dims;               // symbolic dimension -> value
  std::map<std::string, std::vector<std::int64_t>> inputs;  // graph input -> full shape
};

struct OnnxOutcome {
  ImportedGraph graph;
  // Empty on success; else one line: what is wrong, at `error_key` (a model key, or "" for the file).
  std::string error;
  std::string error_key;
  std::vector<std::string> unsupported;  // every node the importer cannot lower, one line each
};

}  // namespace catsim

extern "C" void catsim_onnx_import(const catsim::OnnxRequest& request, catsim::OnnxOutcome& outcome);
