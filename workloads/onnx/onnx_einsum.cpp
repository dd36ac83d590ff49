#include "workloads/onnx/onnx_einsum.h"

#include <map>

#include "arch/checked_math.h"
#include "workloads/onnx/onnx_shapes.h"

namespace catsim::onnx_import {
namespace {

[[noreturn]] void bad_einsum(const std::string& what) { throw ShapeError{"Einsum: " + what}; }

// Each letter of an operand's subscript with its dimension; a letter's dimension must agree everywhere.
void bind(const std::string& letters, const Shape& shape, std::map<char, std::int64_t>& dims) {
  if (letters.size() != shape.size())
    bad_einsum("subscript '" + letters + "' has " + std::to_string(letters.size()) + " letters for rank " +
        std::to_string(shape.size()));
  for (std::size_t i = 0; i < letters.size(); ++i) {
    const char c = letters[i];
    if (letters.find(c) != i) bad_einsum("a repeated letter within an operand (a diagonal) is not a matmul");
    auto [it, fresh] = dims.emplace(c, shape[i]);
    if (!fresh && it->second != shape[i])
      bad_einsum(std::string("letter '") + c + "' is " + std::to_string(it->second) + " and " + std::to_string(shape[i]));
  }
}

}  // namespace

EinsumPlan einsum_plan(const std::string& equation, const Shape& a, const Shape& b) {
  std::string eq;
  for (char c : equation)
    if (c != ' ') eq += c;
  if (eq.find("...") != std::string::npos) bad_einsum("ellipses are not modelled");
  const std::size_t arrow = eq.find("->");
  const std::string inputs = eq.substr(0, arrow);
  const std::size_t comma = inputs.find(',');
  if (comma == std::string::npos || inputs.find(',', comma + 1) != std::string::npos) bad_einsum("two operands are modelled");
  const std::string sa = inputs.substr(0, comma), sb = inputs.substr(comma + 1);
  for (char c : sa + sb)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) bad_einsum(std::string("'") + c + "' is not a subscript letter");
  std::string so;
  if (arrow != std::string::npos) {
    so = eq.substr(arrow + 2);
  } else {  // implicit output: the letters that appear once, in alphabetical order
    for (char c = 'A'; c <= 'z'; ++c)
      if ((sa + sb).find(c) != std::string::npos && (sa + sb).find(c) == (sa + sb).rfind(c)) so += c;
  }
  std::map<char, std::int64_t> dims;
  bind(sa, a, dims);
  bind(sb, b, dims);
  EinsumPlan p;
  for (char c : so) {
    if (!dims.count(c)) bad_einsum(std::string("output letter '") + c + "' is in no operand");
    if (so.find(c) != so.rfind(c)) bad_einsum("a repeated output letter");
    p.out.push_back(dims.at(c));
  }
  for (const auto& [c, d] : dims) {
    const bool in_a = sa.find(c) != std::string::npos, in_b = sb.find(c) != std::string::npos,
               in_out = so.find(c) != std::string::npos;
    std::int64_t* into = in_a && in_b ? (in_out ? &p.batch : &p.k) : !in_out ? nullptr : in_a ? &p.m : &p.n;
    if (!into) bad_einsum(std::string("letter '") + c + "' is summed out of one operand alone (a reduction, not a matmul)");
    *into = mul_i64(*into, d, "Einsum");
  }
  return p;
}

}  // namespace catsim::onnx_import
