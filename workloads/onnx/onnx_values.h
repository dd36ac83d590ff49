#pragma once
// What the importer knows of each tensor of an ONNX graph while it walks the nodes: its shape, whether it
// is known before the run (a constant, stored weights), its value when it is a small integer tensor (the
// shape arithmetic of exported graphs), and which of catsim's ops produced the data it holds.

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace catsim::onnx_import {

using Shape = std::vector<std::int64_t>;

struct Value {
  Shape shape;
  std::int32_t type = 0;        // onnx::TensorProto::DataType
  bool constant = false;        // known before the run: an initializer, a Constant, or folded from them
  bool weight = false;          // constant data that comes from stored parameters (read from DRAM)
  std::optional<std::vector<std::int64_t>> ints;  // the value of a small integer constant
  std::optional<double> scalar;                   // the value of a one-element constant stored inline
  std::optional<std::vector<double>> reals;       // the value of a small float constant (Resize's scales)
  std::vector<int> producers;   // catsim ops whose results this tensor holds (empty: an input or a constant)
  int direct = -1;              // the op whose own output this is (not through a view), else -1
  bool poisoned = false;        // downstream of a node the importer could not lower
  bool reordered = false;       // passed through a transpose that moved the innermost axis since its producers

  std::int64_t elements() const;
};

// Highest tensor rank the importer accepts (published models stay below 8).
inline constexpr std::size_t kMaxRank = 64;

// Largest integer constant the importer evaluates (shape vectors, position ids); larger ones keep a shape.
inline constexpr std::size_t kMaxFoldedInts = 1 << 16;

// The tensors of a graph by name.
class ValueTable {
 public:
  const Value* find(const std::string& name) const;
  Value& set(const std::string& name, Value v);
  // A node's input; the empty name (an omitted optional input) and unknown names give nullptr.
  const Value* input(const onnx::NodeProto& node, int i) const;

 private:
  std::unordered_map<std::string, Value> m_values;
};

// A TensorProto as a Value: its dims and type, and its integers when it holds few enough of them inline.
Value tensor_value(const onnx::TensorProto& t);

// `s` as valid UTF-8: every byte that does not begin a well-formed sequence (RFC 3629: no overlong forms,
// surrogates or code points past U+10FFFF) becomes U+FFFD. Names from a file go into JSON, which must be UTF-8.
std::string valid_utf8(const std::string& s);

// Bytes of one element of an ONNX data type, 0 for types catsim does not model (strings).
std::int64_t element_bytes_of(std::int32_t type);

// Numpy-style broadcast of two shapes; nullopt when they do not broadcast.
std::optional<Shape> broadcast(const Shape& a, const Shape& b);

// An axis attribute or input normalized into [0, rank); nullopt when out of range.
std::optional<std::int64_t> normalize_axis(std::int64_t axis, std::size_t rank);

}  // namespace catsim::onnx_import
