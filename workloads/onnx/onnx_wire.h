#pragma once
// Reads a serialized ONNX model without its weights: the importer needs every tensor's name, type and
// dims, but the values only of small ones (shape arithmetic, scalars). This walks the protobuf wire format
// of the file and copies everything except the data of large tensors, which it replaces by a reference to
// where the data lies in the file (ONNX's external-data form), so that parsing allocates memory for the
// graph, not for the weights.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace catsim::onnx_import {

// A tensor whose data field is larger than this keeps only a reference to it: the importer reads the values
// of int32/int64 tensors of up to 2^16 elements (512 KiB) and of float tensors of up to 64 (256 bytes).
inline constexpr std::size_t kInlineIntegerBytes = std::size_t{1} << 20;
inline constexpr std::size_t kInlineDataBytes = std::size_t{4} << 10;

// `bytes` (a serialized ModelProto read from `file`, an absolute path) with the data of every tensor larger
// than its limit above — initializers and Constant values, in the graph, its branches and its functions —
// replaced by {location: file, offset, length}. nullopt when the bytes are not well-formed protobuf wire data
// (the caller lets protobuf's parser say why).
std::optional<std::string> without_large_tensor_data(std::string_view bytes, const std::string& file);

}  // namespace catsim::onnx_import
