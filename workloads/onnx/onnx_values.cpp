#include "workloads/onnx/onnx_values.h"

#include <algorithm>
#include <cstring>

#include "arch/checked_math.h"

namespace catsim::onnx_import {

std::int64_t Value::elements() const {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n = mul_i64(n, d, "tensor elements");
  return n;
}

const Value* ValueTable::find(const std::string& name) const {
  auto it = m_values.find(name);
  return it == m_values.end() ? nullptr : &it->second;
}

Value& ValueTable::set(const std::string& name, Value v) { return m_values[name] = std::move(v); }

const Value* ValueTable::input(const onnx::NodeProto& node, int i) const {
  if (i >= node.input_size() || node.input(i).empty()) return nullptr;
  return find(node.input(i));
}

std::int64_t element_bytes_of(std::int32_t type) {
  using T = onnx::TensorProto;
  switch (type) {
    case T::FLOAT: case T::INT32: case T::UINT32: return 4;
    case T::DOUBLE: case T::INT64: case T::UINT64: case T::COMPLEX64: return 8;
    case T::FLOAT16: case T::BFLOAT16: case T::INT16: case T::UINT16: return 2;
    case T::INT8: case T::UINT8: case T::BOOL: return 1;
    case T::COMPLEX128: return 16;
    default: return 0;
  }
}

Value tensor_value(const onnx::TensorProto& t) {
  Value v;
  v.constant = true;
  v.type = t.data_type();
  for (std::int64_t d : t.dims()) v.shape.push_back(d);
  const bool integer = t.data_type() == onnx::TensorProto::INT64 || t.data_type() == onnx::TensorProto::INT32;
  v.weight = !integer && t.data_type() != onnx::TensorProto::BOOL;
  if (t.data_type() == onnx::TensorProto::FLOAT && t.data_location() != onnx::TensorProto::EXTERNAL) {
    // A few floats stored inline: a Pow's exponent, Resize's scales.
    std::vector<double> reals;
    if (t.float_data_size() > 0 && t.float_data_size() <= 64) {
      reals.assign(t.float_data().begin(), t.float_data().end());
    } else if (!t.raw_data().empty() && t.raw_data().size() % 4 == 0 && t.raw_data().size() <= 256) {
      for (std::size_t i = 0; i < t.raw_data().size(); i += 4) {
        float x;
        std::memcpy(&x, t.raw_data().data() + i, 4);
        reals.push_back(x);
      }
    }
    std::int64_t n = 1;
    for (std::int64_t d : v.shape) n = d >= 0 && d <= 64 && n <= 64 ? n * d : 65;
    if (!reals.empty() && static_cast<std::int64_t>(reals.size()) == n) {
      if (n == 1) v.scalar = reals.front();
      v.reals = std::move(reals);
    }
  }
  // Integer and boolean values (shape arithmetic, conditions): 8/16-bit types and bools are stored in
  // int32_data, or raw at their own width.
  using TP = onnx::TensorProto;
  const auto type = t.data_type();
  std::size_t width = 0;
  bool is_signed = true;
  if (type == TP::INT64) width = 8;
  else if (type == TP::INT32) width = 4;
  else if (type == TP::INT16) width = 2;
  else if (type == TP::UINT16) width = 2, is_signed = false;
  else if (type == TP::INT8) width = 1;
  else if (type == TP::UINT8 || type == TP::BOOL) width = 1, is_signed = false;
  if (width == 0 || t.data_location() == TP::EXTERNAL) return v;
  std::int64_t n = 1;
  for (std::int64_t d : v.shape) {
    if (d < 0 || d > static_cast<std::int64_t>(kMaxFoldedInts)) return v;
    n *= d;
    if (n > static_cast<std::int64_t>(kMaxFoldedInts)) return v;
  }
  std::vector<std::int64_t> ints;
  if (!t.raw_data().empty()) {
    if (t.raw_data().size() != static_cast<std::size_t>(n) * width) return v;
    for (std::int64_t i = 0; i < n; ++i) {
      const char* at = t.raw_data().data() + static_cast<std::size_t>(i) * width;
      std::int64_t x = 0;
      if (width == 8) {
        std::memcpy(&x, at, 8);
      } else if (width == 4) {
        std::int32_t y;
        std::memcpy(&y, at, 4);
        x = y;
      } else if (width == 2) {
        std::uint16_t y;
        std::memcpy(&y, at, 2);
        x = is_signed ? static_cast<std::int16_t>(y) : y;
      } else {
        const auto y = static_cast<std::uint8_t>(*at);
        x = is_signed ? static_cast<std::int8_t>(y) : y;
      }
      ints.push_back(type == TP::BOOL ? x != 0 : x);
    }
  } else if (type == TP::INT64) {
    ints.assign(t.int64_data().begin(), t.int64_data().end());
  } else {
    ints.assign(t.int32_data().begin(), t.int32_data().end());
  }
  if (static_cast<std::int64_t>(ints.size()) == n) v.ints = std::move(ints);
  if (v.ints && v.ints->size() == 1) v.scalar = static_cast<double>(v.ints->front());
  return v;
}

std::string valid_utf8(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = byte(i);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (byte(i + k) & 0xc0) == 0x80;
    if (ok && len > 1) {  // the code point: not overlong, not a surrogate, at most U+10FFFF
      std::uint32_t cp = c & (0x7f >> len);
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (byte(i + k) & 0x3f);
      static constexpr std::uint32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= kLeast[len] && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
    }
    if (ok) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::optional<Shape> broadcast(const Shape& a, const Shape& b) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape out(rank, 1);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const std::int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (x != y && x != 1 && y != 1) return std::nullopt;
    out[i] = x == 1 ? y : x;
  }
  return out;
}

std::optional<std::int64_t> normalize_axis(std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) return std::nullopt;
  return axis < 0 ? axis + r : axis;
}

}  // namespace catsim::onnx_import
