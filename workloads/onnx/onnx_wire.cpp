#include "workloads/onnx/onnx_wire.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace catsim::onnx_import {
namespace {

// The messages whose fields lead to tensors, and the field numbers of onnx.proto that do.
enum class Message { model, function, graph, node, attribute, tensor };

constexpr int kMaxDepth = 100;  // protobuf's own default recursion limit

struct Field {
  std::uint32_t number = 0;
  int wire = 0;
  std::uint64_t value = 0;                 // varint fields: the value
  std::size_t begin = 0, end = 0;          // the whole field: tag to the end of its value
  std::size_t payload = 0, length = 0;     // length-delimited fields: where the value starts, its bytes
};

class Reader {
 public:
  Reader(std::string_view bytes, std::size_t base) : m_bytes(bytes), m_base(base) {}

  bool done() const { return m_at >= m_bytes.size(); }

  // The next field; false on malformed wire data.
  bool next(Field& f) {
    f.begin = m_at;
    std::uint64_t tag = 0;
    if (!varint(tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1FFFFFFF) return false;
    f.number = static_cast<std::uint32_t>(tag >> 3);
    f.wire = static_cast<int>(tag & 7);
    std::uint64_t n = 0;
    switch (f.wire) {
      case 0: if (!varint(f.value)) return false; break;
      case 1: if (!skip(8)) return false; break;
      case 5: if (!skip(4)) return false; break;
      case 2:
        if (!varint(n) || n > m_bytes.size() - m_at) return false;
        f.payload = m_at;
        f.length = static_cast<std::size_t>(n);
        m_at += f.length;
        break;
      default: return false;  // groups (3, 4) are not in onnx.proto; 6 and 7 are not wire types
    }
    f.end = m_at;
    return true;
  }

  std::string_view slice(std::size_t begin, std::size_t end) const { return m_bytes.substr(begin, end - begin); }
  std::size_t size() const { return m_bytes.size(); }
  std::size_t file_offset(std::size_t at) const { return m_base + at; }

 private:
  bool varint(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (m_at >= m_bytes.size()) return false;
      const auto b = static_cast<std::uint8_t>(m_bytes[m_at++]);
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool skip(std::size_t n) {
    if (n > m_bytes.size() - m_at) return false;
    m_at += n;
    return true;
  }

  std::string_view m_bytes;
  std::size_t m_base;  // offset of m_bytes[0] in the file
  std::size_t m_at = 0;
};

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_tag(std::string& out, std::uint32_t number, int wire) {
  put_varint(out, (static_cast<std::uint64_t>(number) << 3) | static_cast<std::uint64_t>(wire));
}

// A length-delimited field whose value is written after it: the tag and 5 bytes for the length, patched by
// end_field once the value is written (protobuf reads a length padded to 5 varint bytes as any other).
std::size_t begin_field(std::string& out, std::uint32_t number) {
  put_tag(out, number, 2);
  out.append(5, '\0');
  return out.size();
}

void end_field(std::string& out, std::size_t value_begin) {
  std::uint64_t length = out.size() - value_begin;
  for (std::size_t i = value_begin - 5; i < value_begin; ++i, length >>= 7)
    out[i] = static_cast<char>((length & 0x7F) | (i + 1 < value_begin ? 0x80 : 0));
}

void put_bytes_field(std::string& out, std::uint32_t number, std::string_view value) {
  put_tag(out, number, 2);
  put_varint(out, value.size());
  out.append(value);
}

// The submessage a field of `m` holds, if it can lead to a tensor.
std::optional<Message> child(Message m, std::uint32_t number) {
  switch (m) {
    case Message::model:
      if (number == 7) return Message::graph;
      if (number == 25) return Message::function;
      break;
    case Message::function:
      if (number == 7) return Message::node;
      break;
    case Message::graph:
      if (number == 1) return Message::node;
      if (number == 5) return Message::tensor;
      break;
    case Message::node:
      if (number == 5) return Message::attribute;
      break;
    case Message::attribute:
      if (number == 5 || number == 10) return Message::tensor;
      if (number == 6 || number == 11) return Message::graph;
      break;
    case Message::tensor: break;
  }
  return std::nullopt;
}

// TensorProto's data fields: float_data, int32_data, int64_data, raw_data, double_data, uint64_data
// (string_data is never elided).
bool numeric_data(std::uint32_t number) {
  return number == 4 || number == 5 || number == 7 || number == 9 || number == 10 || number == 11;
}

class Copier {
 public:
  explicit Copier(const std::string& file) : m_file(file) {}

  // Copies message `m` held in `r` into `out`; false on malformed wire data.
  bool copy(Message m, Reader& r, std::string& out, int depth) {
    if (depth > kMaxDepth) return false;
    if (m == Message::tensor) return copy_tensor(r, out);
    Field f;
    while (!r.done()) {
      if (!r.next(f)) return false;
      const std::optional<Message> inner = f.wire == 2 ? child(m, f.number) : std::nullopt;
      if (!inner) {
        out.append(r.slice(f.begin, f.end));
        continue;
      }
      Reader sub(r.slice(f.payload, f.payload + f.length), r.file_offset(f.payload));
      const std::size_t value = begin_field(out, f.number);
      if (!copy(*inner, sub, out, depth + 1)) return false;
      end_field(out, value);
    }
    return true;
  }

 private:
  // One pass over the tensor's fields finds its type and its one large data field (keeping counters only, so
  // a tensor of millions of small fields costs no memory); the copy is then the bytes around that field.
  bool copy_tensor(Reader& r, std::string& out) {
    Field f, large;
    int data_fields = 0, large_fields = 0;
    bool external = false;
    std::uint64_t type = 0;  // data_type
    while (!r.done()) {
      if (!r.next(f)) return false;
      if (numeric_data(f.number) || f.number == 6) ++data_fields;
      if (f.number == 13 || f.number == 14) external = true;
      if (f.number == 2 && f.wire == 0) type = f.value;
      if (numeric_data(f.number) && f.wire == 2 && f.length > kInlineDataBytes) large = f, ++large_fields;
    }
    const std::size_t limit = type == 6 || type == 7 ? kInlineIntegerBytes : kInlineDataBytes;  // INT32, INT64
    if (large_fields != 1 || large.length <= limit || data_fields != 1 || external) {  // kept whole
      out.append(r.slice(0, r.size()));
      return true;
    }
    out.append(r.slice(0, large.begin));
    out.append(r.slice(large.end, r.size()));
    auto entry = [&](const char* key, const std::string& value) {
      std::string e;
      put_bytes_field(e, 1, key);
      put_bytes_field(e, 2, value);
      put_bytes_field(out, 13, e);
    };
    entry("location", m_file);
    entry("offset", std::to_string(r.file_offset(large.payload)));
    entry("length", std::to_string(large.length));
    put_tag(out, 14, 0);  // data_location: EXTERNAL
    put_varint(out, 1);
    return true;
  }

  const std::string& m_file;
};

}  // namespace

std::optional<std::string> without_large_tensor_data(std::string_view bytes, const std::string& file) {
  Reader r(bytes, 0);
  std::string out;
  out.reserve(bytes.size() + 64);  // address space: only the pages written are touched
  if (!Copier(file).copy(Message::model, r, out, 0)) return std::nullopt;
  return out;
}

}  // namespace catsim::onnx_import
