// Reading an ONNX model without its weights' data: large tensors (initializers, Constant values, in
// branches too) become references to where their bytes lie in the file; everything else is kept byte for
// byte, so restoring the data gives back the model; malformed wire data is refused.

#include <gtest/gtest.h>

#include <onnx/onnx_pb.h>

#include <cstring>
#include <random>
#include <string>

#include "workloads/onnx/onnx_values.h"
#include "workloads/onnx/onnx_wire.h"

namespace catsim::onnx_import {
namespace {

using T = onnx::TensorProto;

T tensor(const std::string& name, int type, std::int64_t elements, int element_bytes, bool packed_floats = false) {
  T t;
  t.set_name(name);
  t.set_data_type(type);
  t.add_dims(elements);
  if (packed_floats) {
    for (std::int64_t i = 0; i < elements; ++i) t.add_float_data(static_cast<float>(i));
  } else {
    std::string raw(static_cast<std::size_t>(elements * element_bytes), '\0');
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<char>(i * 7 + 1);
    t.set_raw_data(raw);
  }
  return t;
}

// A graph with tensors on both sides of each limit, a large Constant inside an If's branch, and a tensor
// that is already external.
onnx::ModelProto model() {
  onnx::ModelProto m;
  m.set_ir_version(7);
  m.add_opset_import()->set_version(13);
  onnx::GraphProto* g = m.mutable_graph();
  g->set_name("g");
  *g->add_initializer() = tensor("big_float", T::FLOAT, 2000, 4);           // 8,000 B > 4 KiB: elided
  *g->add_initializer() = tensor("small_float", T::FLOAT, 64, 4);           // 256 B: kept
  *g->add_initializer() = tensor("packed_float", T::FLOAT, 1025, 4, true);  // 4,100 B > 4 KiB: elided
  *g->add_initializer() = tensor("shape_ints", T::INT64, 65536, 8);         // 512 KiB <= 1 MiB: kept
  *g->add_initializer() = tensor("big_ints", T::INT64, 131073, 8);          // > 1 MiB: elided
  T ext = tensor("already_external", T::FLOAT, 4, 4);
  ext.clear_raw_data();
  ext.set_data_location(T::EXTERNAL);
  auto* e = ext.add_external_data();
  e->set_key("location");
  e->set_value("weights.bin");
  *g->add_initializer() = ext;
  onnx::NodeProto* n = g->add_node();
  n->set_op_type("If");
  n->add_input("c");
  n->add_output("y");
  onnx::AttributeProto* branch = n->add_attribute();
  branch->set_name("then_branch");
  branch->set_type(onnx::AttributeProto::GRAPH);
  onnx::NodeProto* c = branch->mutable_g()->add_node();
  c->set_op_type("Constant");
  c->add_output("y");
  onnx::AttributeProto* value = c->add_attribute();
  value->set_name("value");
  value->set_type(onnx::AttributeProto::TENSOR);
  *value->mutable_t() = tensor("branch_constant", T::FLOAT16, 4096, 2);  // 8 KiB: elided
  return m;
}

std::string external(const T& t, const std::string& key) {
  for (const auto& e : t.external_data())
    if (e.key() == key) return e.value();
  return "";
}

TEST(OnnxWire, LargeTensorsPointAtTheirBytesAndTheRestIsKept) {
  const onnx::ModelProto original = model();
  const std::string bytes = original.SerializeAsString();
  const auto lean = without_large_tensor_data(bytes, "/models/g.onnx");
  ASSERT_TRUE(lean);
  // The four large tensors' data is gone (8,000 + 4,100 + 1,048,584 + 8,192 bytes); the references that
  // replace it (location, offset, length) take less than 1 KiB.
  EXPECT_LT(lean->size(), bytes.size() - (8000 + 4100 + 131073 * 8 + 8192) + 1024);
  onnx::ModelProto parsed;
  ASSERT_TRUE(parsed.ParseFromString(*lean));
  auto restore = [&](T& t, const T& from) {
    ASSERT_EQ(t.data_location(), T::EXTERNAL) << t.name();
    EXPECT_EQ(external(t, "location"), "/models/g.onnx");
    const std::size_t offset = std::stoull(external(t, "offset")), length = std::stoull(external(t, "length"));
    // The reference names the tensor's own bytes in the file: raw data, or the packed floats.
    const std::string expected = from.raw_data().empty()
                                     ? std::string(reinterpret_cast<const char*>(from.float_data().data()),
                                                   static_cast<std::size_t>(from.float_data_size()) * 4)
                                     : from.raw_data();
    EXPECT_EQ(bytes.substr(offset, length), expected) << t.name();
    t.clear_external_data();
    t.clear_data_location();
    if (from.raw_data().empty()) *t.mutable_float_data() = from.float_data();
    else t.set_raw_data(from.raw_data());
  };
  auto& inits = *parsed.mutable_graph()->mutable_initializer();
  EXPECT_EQ(inits[1].raw_data(), original.graph().initializer(1).raw_data());  // small_float kept
  EXPECT_EQ(inits[3].raw_data(), original.graph().initializer(3).raw_data());  // shape_ints kept
  EXPECT_EQ(external(inits[5], "location"), "weights.bin");                     // left as it was
  for (int i : {0, 2, 4}) restore(inits[i], original.graph().initializer(i));
  restore(*parsed.mutable_graph()->mutable_node(0)->mutable_attribute(0)->mutable_g()->mutable_node(0)->mutable_attribute(0)->mutable_t(),
          original.graph().node(0).attribute(0).g().node(0).attribute(0).t());
  EXPECT_EQ(parsed.SerializeAsString(), bytes);  // everything else byte for byte
}

TEST(OnnxWire, MalformedWireDataIsRefused) {
  const std::string bytes = model().SerializeAsString();
  EXPECT_FALSE(without_large_tensor_data(bytes.substr(0, bytes.size() - 3), "/m.onnx"));  // a value cut short
  EXPECT_FALSE(without_large_tensor_data(std::string("\x3a\xff\xff\xff\xff\x0f", 6), "/m.onnx"));  // graph longer than the file
  EXPECT_FALSE(without_large_tensor_data(std::string("\x0b", 1), "/m.onnx"));  // a group (wire type 3)
  // If branches nested 40 deep: 120 messages, beyond protobuf's recursion limit of 100.
  onnx::ModelProto deep;
  onnx::GraphProto* g = deep.mutable_graph();
  for (int i = 0; i < 40; ++i) {
    onnx::AttributeProto* a = g->add_node()->add_attribute();
    a->set_name("then_branch");
    g = a->mutable_g();
  }
  EXPECT_FALSE(without_large_tensor_data(deep.SerializeAsString(), "/m.onnx"));
}

TEST(OnnxWire, RandomBytesCopyToWhatParsesTheSame) {
  // Bytes with no large tensor: whatever they parse to (or fail to), the copy parses to the same.
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  const std::string base = model().graph().node(0).SerializeAsString();  // mutated into near-valid messages
  for (int trial = 0; trial < 3000; ++trial) {
    std::string bytes = trial % 2 ? std::string(rng() % 64, '\0') : "\x3a" + std::string(1, static_cast<char>(base.size() > 127 ? 0 : base.size())) + base;
    for (char& ch : bytes)
      if (trial % 2 || rng() % 16 == 0) ch = static_cast<char>(rng());
    const auto lean = without_large_tensor_data(bytes, "/m.onnx");
    if (!lean) continue;
    onnx::ModelProto a, b;
    const bool parses = a.ParseFromString(bytes);
    ASSERT_EQ(parses, b.ParseFromString(*lean)) << "trial " << trial;
    if (parses) {
      ASSERT_EQ(a.SerializeAsString(), b.SerializeAsString()) << "trial " << trial;
    }
  }
}

TEST(OnnxNames, InvalidUtf8BecomesTheReplacementCharacter) {
  EXPECT_EQ(valid_utf8("plain/name_0"), "plain/name_0");
  EXPECT_EQ(valid_utf8("\xc3\xa9t\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x99\x82"), "\xc3\xa9t\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x99\x82");
  const std::string bad = "\xef\xbf\xbd";
  EXPECT_EQ(valid_utf8("a\x9a" "b"), "a" + bad + "b");                 // a lone continuation byte
  EXPECT_EQ(valid_utf8("\xc0\xaf"), bad + bad);                       // overlong '/'
  EXPECT_EQ(valid_utf8("\xed\xa0\x80"), bad + bad + bad);            // a surrogate
  EXPECT_EQ(valid_utf8("\xf4\x90\x80\x80"), bad + bad + bad + bad);  // past U+10FFFF
  EXPECT_EQ(valid_utf8("x\xe2\x80"), "x" + bad + bad);                // cut short
}

}  // namespace
}  // namespace catsim::onnx_import
