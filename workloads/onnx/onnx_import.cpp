#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "arch/checked_math.h"
#include "workloads/onnx/sha256.h"
#include "workloads/onnx/onnx_einsum.h"
#include "workloads/onnx/onnx_entry.h"
#include "workloads/onnx/onnx_fusion.h"
#include "workloads/onnx/onnx_recurrent.h"
#include "workloads/onnx/onnx_shapes.h"
#include "workloads/onnx/onnx_values.h"
#include "workloads/onnx/onnx_wire.h"

namespace catsim::onnx_import {
namespace {

namespace fs = std::filesystem;
using T = onnx::TensorProto;

// protobuf reads a message of at most 2 GiB; larger exports keep their weights in external data files,
// which the importer never reads (only the shapes in the .onnx file matter).
constexpr std::uintmax_t kMaxFileBytes = (std::uintmax_t{1} << 31) - 1;

// A file is hashed in pieces of this size, each dropped from memory once hashed.
constexpr std::size_t kHashChunkBytes = std::size_t{16} << 20;

// Longest part of a recurrent node's name its unrolled ops carry (up to 11 ops per step).
constexpr std::size_t kMaxRecurrentPrefix = 128;

// Deepest nesting of If branches the walk follows (exporters nest a few; the bound keeps recursion finite).
constexpr int kMaxBranchDepth = 64;

// A file mapped read-only: hashed and parsed in place, without a copy into a string.
class MappedFile {
 public:
  MappedFile(const std::string& file, std::size_t size) : m_size(size) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (p != MAP_FAILED) m_data = static_cast<const char*>(p);
  }
  ~MappedFile() {
    if (m_data) ::munmap(const_cast<char*>(m_data), m_size);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const char* data() const { return m_data; }
  std::size_t size() const { return m_size; }

  // Drops the whole pages of [begin, end) from the process (the page cache keeps them): bytes that were
  // only hashed do not stay resident while the graph is parsed.
  void release(std::size_t begin, std::size_t end) const {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    begin = (begin + page - 1) / page * page;
    end = end / page * page;
    if (m_data && end > begin) ::madvise(const_cast<char*>(m_data) + begin, end - begin, MADV_DONTNEED);
  }

 private:
  const char* m_data = nullptr;
  std::size_t m_size;
};

struct ImportError {
  std::string message, key;
};

std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::optional<Precision> precision_of(std::int32_t type) {
  switch (type) {
    case T::FLOAT: return Precision::fp32;
    case T::FLOAT16: return Precision::fp16;
    case T::BFLOAT16: return Precision::bf16;
    case T::INT8: case T::UINT8: return Precision::int8;
    default: return std::nullopt;
  }
}

bool is_float_type(std::int32_t type) {
  return type == T::FLOAT || type == T::FLOAT16 || type == T::BFLOAT16 || type == T::DOUBLE;
}

// Walks an ONNX graph once in node order, keeping every tensor's shape, folding the constant shape
// arithmetic and lowering each node that computes on the run's data onto catsim's ops.
class Importer {
 public:
  Importer(const OnnxRequest& r, OnnxOutcome& o) : m_req(r), m_out(o), m_g(o.graph) {}

  void run() {
    read();
    bind_inputs();
    walk();
  }

 private:
  [[noreturn]] void fail(const std::string& message, const std::string& key = "") { throw ImportError{message, key}; }
  std::string key(const std::string& k) const { return m_req.key_prefix.empty() ? k : m_req.key_prefix + "." + k; }

  void read() {
    std::error_code ec;
    const auto size = fs::file_size(m_req.file, ec);
    if (ec) fail("cannot read the ONNX file: " + ec.message());
    if (size > kMaxFileBytes)
      fail("the ONNX file is " + std::to_string(size) + " bytes; catsim reads .onnx files of at most 2 GiB "
           "(export larger models with their weights as external data)");
    if (size == 0) fail("not an ONNX model (the file is empty)");
    const MappedFile bytes(m_req.file, static_cast<std::size_t>(size));
    if (!bytes.data()) fail("cannot read the ONNX file: " + std::string(std::strerror(errno)));
    m_g.file = m_req.file;
    Sha256 hash;
    for (std::size_t at = 0; at < bytes.size(); at += kHashChunkBytes) {
      const std::size_t end = std::min(bytes.size(), at + kHashChunkBytes);
      hash.update(std::string_view(bytes.data() + at, end - at));
      bytes.release(at, end);
    }
    m_g.sha256 = hash.hex();
    // Parsed without the data of large tensors (onnx_wire.h): memory for the graph, not for its weights.
    const std::string file = fs::absolute(m_req.file).lexically_normal().string();
    std::optional<std::string> lean = without_large_tensor_data(std::string_view(bytes.data(), bytes.size()), file);
    if (lean && lean->size() > kMaxFileBytes) lean.reset();  // padded lengths made it larger: parse the file itself
    if (!(lean ? m_model.ParseFromString(*lean) : m_model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))))
      fail("not an ONNX model (the protobuf message does not parse)");
    locate_external_data(*m_model.mutable_graph(), fs::path(file).parent_path());
    for (auto& f : *m_model.mutable_functions())
      for (auto& n : *f.mutable_node()) locate_external_data(n, fs::path(file).parent_path());
    if (m_model.ir_version() > onnx::Version::IR_VERSION)
      fail("IR version " + std::to_string(m_model.ir_version()) + " is newer than catsim's ONNX library reads (IR <= " +
           std::to_string(onnx::Version::IR_VERSION) + ", opset <= 17: re-export with an older opset)");
    try {
      onnx::checker::check_model(m_model);
    } catch (const std::exception& e) {
      fail("not a valid ONNX model: " + one_line(e.what()));
    }
    for (const auto& o : m_model.opset_import())
      if (o.domain().empty() || o.domain() == "ai.onnx") m_opset = o.version();
    m_g.ir_version = m_model.ir_version();
    m_g.opset = m_opset;
    m_g.producer = valid_utf8(m_model.producer_name());
    m_g.producer_version = valid_utf8(m_model.producer_version());
    m_g.graph_name = valid_utf8(m_model.graph().name());
    m_g.nodes = m_model.graph().node_size();
  }

  // External data files are named relative to the model's directory: made absolute, so that ONNX's checker
  // finds them whatever the working directory.
  static void locate_external_data(T& t, const fs::path& dir) {
    if (t.data_location() != T::EXTERNAL) return;
    for (auto& e : *t.mutable_external_data())
      if (e.key() == "location" && fs::path(e.value()).is_relative()) e.set_value((dir / e.value()).lexically_normal().string());
  }
  static void locate_external_data(onnx::NodeProto& n, const fs::path& dir) {
    for (auto& a : *n.mutable_attribute()) {
      if (a.has_t()) locate_external_data(*a.mutable_t(), dir);
      for (auto& t : *a.mutable_tensors()) locate_external_data(t, dir);
      if (a.has_g()) locate_external_data(*a.mutable_g(), dir);
      for (auto& g : *a.mutable_graphs()) locate_external_data(g, dir);
    }
  }
  static void locate_external_data(onnx::GraphProto& g, const fs::path& dir) {
    for (auto& t : *g.mutable_initializer()) locate_external_data(t, dir);
    for (auto& n : *g.mutable_node()) locate_external_data(n, dir);
  }

  // Graph inputs get concrete shapes from the file, model.dims (symbolic names) and model.inputs (whole shapes).
  void bind_inputs() {
    auto& graph = *m_model.mutable_graph();
    std::set<std::string> initializers, used_dims, used_inputs;
    std::int64_t largest_weight = -1;  // the weights' precision: that of the largest initializer
    for (const auto& t : graph.initializer()) {
      initializers.insert(t.name());
      const std::int64_t elements = add_constant(t.name(), t);
      if (precision_of(t.data_type()) && elements > largest_weight) {
        largest_weight = elements;
        m_g.weights = *precision_of(t.data_type());
      }
    }
    count_branch_tensors(graph);
    std::vector<std::string> unknown;
    std::optional<Precision> input_float;
    for (auto& in : *graph.mutable_input()) {
      if (initializers.count(in.name())) continue;
      if (!in.type().has_tensor_type())
        fail("graph input '" + in.name() + "' is not a tensor (sequences and maps are not modelled)");
      const auto given = m_req.inputs.find(in.name());
      if (!in.type().tensor_type().has_shape()) {  // no shape in the file: the binding gives its rank
        if (given == m_req.inputs.end())
          fail("graph input '" + in.name() + "' has no shape in the file: bind it with --set model.inputs." +
               in.name() + "=AxB...", key("inputs." + in.name()));
        auto* s = in.mutable_type()->mutable_tensor_type()->mutable_shape();
        for (std::size_t d = 0; d < given->second.size(); ++d) s->add_dim();
      }
      auto* shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
      if (static_cast<std::size_t>(shape->dim_size()) > kMaxRank)
        fail("graph input '" + in.name() + "' has rank " + std::to_string(shape->dim_size()) + " (catsim models at most 64)");
      Value v;
      v.type = in.type().tensor_type().elem_type();
      if (!input_float && is_float_type(v.type)) input_float = precision_of(v.type);
      if (given != m_req.inputs.end()) {
        used_inputs.insert(in.name());
        if (static_cast<int>(given->second.size()) != shape->dim_size())
          fail("graph input '" + in.name() + "' has rank " + std::to_string(shape->dim_size()) + ", the binding " +
                   std::to_string(given->second.size()),
               key("inputs." + in.name()));
      }
      for (int d = 0; d < shape->dim_size(); ++d) {
        auto* dim = shape->mutable_dim(d);
        std::int64_t value = dim->has_dim_value() ? dim->dim_value() : -1;
        const std::string name = dim->has_dim_param() ? dim->dim_param() : "";
        if (given != m_req.inputs.end()) {
          const std::int64_t want = given->second[static_cast<std::size_t>(d)];
          if (value > 0 && value != want)
            fail("graph input '" + in.name() + "' has dimension " + std::to_string(d) + " fixed at " +
                     std::to_string(value) + ", the binding gives " + std::to_string(want),
                 key("inputs." + in.name()));
          value = want;
        } else if (value <= 0 && !name.empty() && m_req.dims.count(name)) {
          used_dims.insert(name);
          value = m_req.dims.at(name);
        }
        if (value <= 0) {
          unknown.push_back("'" + in.name() + "' dimension " + std::to_string(d) +
                            (name.empty() ? " (unnamed)" : " '" + name + "'"));
          continue;
        }
        if (!name.empty() && std::none_of(m_g.bound_dims.begin(), m_g.bound_dims.end(),
                                          [&](const auto& b) { return b.first == name; }))
          m_g.bound_dims.emplace_back(valid_utf8(name), value);
        dim->clear_dim_param();
        dim->set_dim_value(value);
        v.shape.push_back(value);
      }
      m_values.set(in.name(), std::move(v));
    }
    for (const auto& [name, value] : m_req.dims)
      if (!used_dims.count(name))
        fail("the graph has no symbolic dimension '" + name + "' left to bind", key("dims." + name));
    for (const auto& [name, shape] : m_req.inputs)
      if (!used_inputs.count(name))
        fail("the graph has no input named '" + name + "'", key("inputs." + name));
    if (!unknown.empty()) {
      std::string list;
      for (std::size_t i = 0; i < unknown.size(); ++i) list += (i ? ", " : "") + unknown[i];
      fail("unknown input dimensions: " + list + " (bind a named one with --set model.dims.NAME=N, an input's whole shape with --set "
           "model.inputs.INPUT=AxB...)");
    }
    m_g.activations = input_float.value_or(m_g.weights);
    for (const auto& n : graph.node())  // a quantized graph's matmuls run on 8-bit activations
      if (n.op_type() == "MatMulInteger" || n.op_type() == "QLinearMatMul" || n.op_type() == "ConvInteger" ||
          n.op_type() == "QLinearConv")
        m_g.activations = Precision::int8;
  }

  // ONNX's own shape inference, on the bound inputs: shapes for constant nodes the importer has no rule for.
  // Run on the first constant node the walk's own rules cannot shape, and not at all on a graph whose shape
  // constants could grow a tensor's rank beyond kMaxRank (ONNX's inference has no such bound).
  void infer_fallback_shapes() {
    if (m_inferred_done) return;
    m_inferred_done = true;
    std::size_t added_dims = 0;
    for (const auto& n : m_model.graph().node()) {
      if (n.op_type() == "Unsqueeze")
        added_dims += attr_ints(n, "axes").value_or(std::vector<std::int64_t>{}).size();
      const int at = n.op_type() == "ConstantOfShape" ? 0 : 1;
      if (n.op_type() == "Unsqueeze" || n.op_type() == "Reshape" || n.op_type() == "Expand" ||
          n.op_type() == "ConstantOfShape" || n.op_type() == "Tile")
        if (n.input_size() > at)
          if (const Value* v = m_values.find(n.input(at)); v && v->constant) {
            const std::int64_t e = v->shape.size() <= kMaxRank ? v->elements() : -1;
            if (e < 0 || e > static_cast<std::int64_t>(kMaxRank)) return;
            if (n.op_type() == "Unsqueeze") added_dims += static_cast<std::size_t>(e);
          }
    }
    if (added_dims > 4096) return;
    onnx::ModelProto copy = shapes_only(m_model);
    try {
      onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(),
                                         onnx::ShapeInferenceOptions(false, 0, true));
    } catch (const std::exception&) {
      return;  // the walk's own rules still apply
    }
    for (const auto& vi : copy.graph().value_info()) {
      if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape()) continue;
      Shape s;
      bool known = true;
      for (const auto& d : vi.type().tensor_type().shape().dim()) {
        if (!d.has_dim_value()) known = false;
        s.push_back(d.dim_value());
      }
      if (known) m_inferred[vi.name()] = {s, vi.type().tensor_type().elem_type()};
    }
  }

  // The model without the data of its large tensors (initializers and Constant nodes keep their names,
  // types and dims, small integer ones their values): what ONNX's shape inference reads, without copying
  // the weights.
  static onnx::ModelProto shapes_only(const onnx::ModelProto& m) {
    auto small = [](const T& t) {
      std::int64_t n = 1;
      for (std::int64_t d : t.dims())
        n = d >= 0 && d <= static_cast<std::int64_t>(kMaxFoldedInts) && n <= static_cast<std::int64_t>(kMaxFoldedInts)
                ? n * d
                : static_cast<std::int64_t>(kMaxFoldedInts) + 1;
      return n <= 64 || ((t.data_type() == T::INT64 || t.data_type() == T::INT32) &&
                         n <= static_cast<std::int64_t>(kMaxFoldedInts));
    };
    auto header = [](const T& t, T* out) {
      out->set_name(t.name());
      out->set_data_type(t.data_type());
      *out->mutable_dims() = t.dims();
    };
    onnx::ModelProto copy;
    copy.set_ir_version(m.ir_version());
    *copy.mutable_opset_import() = m.opset_import();
    *copy.mutable_functions() = m.functions();
    const onnx::GraphProto& g = m.graph();
    onnx::GraphProto* out = copy.mutable_graph();
    out->set_name(g.name());
    *out->mutable_input() = g.input();
    *out->mutable_output() = g.output();
    *out->mutable_value_info() = g.value_info();
    for (const T& t : g.initializer()) {
      if (small(t)) *out->add_initializer() = t;
      else header(t, out->add_initializer());
    }
    for (const onnx::NodeProto& n : g.node()) {
      onnx::NodeProto* c = out->add_node();
      if (n.op_type() != "Constant" || n.attribute_size() != 1 || !n.attribute(0).has_t() || small(n.attribute(0).t())) {
        *c = n;
        continue;
      }
      c->set_name(n.name());
      c->set_op_type(n.op_type());
      *c->mutable_output() = n.output();
      onnx::AttributeProto* a = c->add_attribute();
      a->set_name(n.attribute(0).name());
      a->set_type(n.attribute(0).type());
      header(n.attribute(0).t(), a->mutable_t());
    }
    return copy;
  }

  // Records a stored tensor and, when `counted`, counts it as parameters; returns its elements.
  std::int64_t add_constant(const std::string& name, const T& t, bool counted = true) {
    for (std::int64_t d : t.dims())
      if (d < 0) fail("tensor '" + name + "' has a negative dimension (" + std::to_string(d) + ")");
    Value v = tensor_value(t);
    const std::int64_t n = v.elements();
    if (counted) count_parameters(n, t.data_type());
    m_values.set(name, std::move(v));
    return n;
  }

  void count_parameters(std::int64_t elements, std::int32_t type) {
    m_g.parameter_elements = add_i64(m_g.parameter_elements, elements, "parameter elements");
    m_g.parameter_bytes = add_u64(m_g.parameter_bytes, product_u64("parameter bytes", elements, element_bytes_of(type)),
                                  "parameter bytes");
  }

  // The tensors stored in the branches of `graph`'s nodes, taken or not (the file holds them all): counted
  // as parameters here, recorded as values only when the walk enters their branch.
  void count_branch_tensors(const onnx::GraphProto& graph, int depth = 0) {
    if (depth > kMaxBranchDepth) fail("subgraphs nested more than " + std::to_string(kMaxBranchDepth) + " deep");
    for (const auto& n : graph.node())
      for (const auto& a : n.attribute()) {
        if (!a.has_g()) continue;
        for (const T& t : a.g().initializer()) count_parameters(tensor_value(t).elements(), t.data_type());
        for (const auto& inner : a.g().node())
          if (const std::optional<T> t = constant_tensor(inner)) count_parameters(tensor_value(*t).elements(), t->data_type());
        count_branch_tensors(a.g(), depth + 1);
      }
  }

  // A Constant node's value as a tensor; nullopt for a form catsim does not read (sparse, strings).
  static std::optional<T> constant_tensor(const onnx::NodeProto& n) {
    if (n.op_type() != "Constant" || n.attribute_size() != 1) return std::nullopt;
    const onnx::AttributeProto& a = n.attribute(0);
    T t;
    if (a.name() == "value") t = a.t();
    else if (a.name() == "value_float") t.set_data_type(T::FLOAT), t.add_float_data(a.f());
    else if (a.name() == "value_int") t.set_data_type(T::INT64), t.add_int64_data(a.i());
    else if (a.name() == "value_floats") t.set_data_type(T::FLOAT), t.add_dims(a.floats_size()), *t.mutable_float_data() = a.floats();
    else if (a.name() == "value_ints") t.set_data_type(T::INT64), t.add_dims(a.ints_size()), *t.mutable_int64_data() = a.ints();
    else return std::nullopt;
    return t;
  }

  std::string node_name(int i) const {
    const auto& n = m_graph->node(i);
    return valid_utf8(n.name().empty() ? n.op_type() + "_" + std::to_string(i) : n.name());  // it reaches the JSON
  }

  std::string node_line(int i, const std::string& problem) const {
    const auto& n = m_graph->node(i);
    return "node '" + node_name(i) + "' (" + (n.domain().empty() ? "" : n.domain() + ".") + n.op_type() + ", opset " +
           std::to_string(m_opset) + "): " + problem;
  }

  void unsupported(int i, const std::string& problem) {
    const std::string line = node_line(i, problem);
    m_out.unsupported.push_back(line);
    poison(m_graph->node(i), line);
  }

  void poison(const onnx::NodeProto& n, const std::string& reason) {
    for (const auto& o : n.output()) {
      Value v;
      v.poisoned = true;
      m_poison_reason[o] = reason;
      m_values.set(o, std::move(v));
    }
  }

  void walk() {
    count_readers(m_model.graph());
    walk_graph(m_model.graph());
    if (!m_out.unsupported.empty()) {
      const std::size_t more = m_out.unsupported.size() - 1;
      fail(m_out.unsupported.front() +
           (more ? " (and " + std::to_string(more) + " more; --list-unsupported names them)" : ""));
    }
    if (m_g.ops.empty()) fail("the graph computes nothing catsim models (no node reads the graph's inputs)");
  }

  // Readers of every tensor, in the graph and in its branches (which may read the enclosing graph's tensors).
  void count_readers(const onnx::GraphProto& graph) {
    for (const auto& n : graph.node()) {
      for (const auto& in : n.input()) ++m_readers[in];
      for (const auto& a : n.attribute())
        if (a.has_g()) count_readers(a.g());
    }
  }

  // Walks `graph`'s nodes in order: the model's graph, or the branch an If takes. A branch sees the
  // enclosing graph's tensors (ONNX names are unique across scopes, so one table holds them all).
  void walk_graph(const onnx::GraphProto& graph) {
    if (++m_depth > kMaxBranchDepth) fail("If branches nested more than " + std::to_string(kMaxBranchDepth) + " deep");
    const onnx::GraphProto* outer = m_graph;
    Fusions outer_fusions = std::move(m_fusions);
    m_graph = &graph;
    m_fusions = find_fusions(graph);
    keep_fusions_read_only_here(graph);
    if (m_depth > 1)  // a branch's own stored tensors (counted with the file's by count_branch_tensors)
      for (const auto& t : graph.initializer()) add_constant(t.name(), t, false);
    for (int i = 0; i < graph.node_size(); ++i) {
      const int group = m_fusions.group_of[i];
      if (group >= 0 && m_fusions.groups[group].anchor != i) continue;
      try {
        if (group >= 0) fused(i, m_fusions.groups[group]);
        else node(i);
      } catch (const ShapeError& e) {
        unsupported(i, e.what);
      } catch (const OverflowError& e) {
        unsupported(i, std::string("a size overflows 64 bits (") + e.what() + ")");
      }
    }
    m_graph = outer;
    m_fusions = std::move(outer_fusions);
    --m_depth;
  }

  // A fused group hides its intermediate tensors: drop the fusion when an If branch (another scope) reads one.
  void keep_fusions_read_only_here(const onnx::GraphProto& graph) {
    if (m_fusions.groups.empty()) return;
    std::unordered_map<std::string, int> here;
    for (const auto& n : graph.node())
      for (const auto& in : n.input()) ++here[in];
    for (FusedGroup& g : m_fusions.groups) {
      bool elsewhere = false;
      for (int k : g.nodes)
        for (const auto& out : graph.node(k).output())
          if (out != g.output && m_readers[out] > here[out]) elsewhere = true;
      if (!elsewhere) continue;
      for (int k : g.nodes) m_fusions.group_of[static_cast<std::size_t>(k)] = -1;
      g.anchor = -1;
    }
  }

  // If: a condition known at import (computed from shapes and constants, as exporters write for
  // rank checks) selects the branch that runs, walked in place; its outputs become the If's. A condition
  // computed from the run's data is unsupported: catsim simulates one fixed path through the graph.
  void if_node(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    const Value* cond = in.empty() ? nullptr : in[0];
    if (!cond || !cond->constant || !cond->ints || cond->ints->size() != 1)
      return unsupported(i, "its condition '" + n.input(0) +
                                "' is computed from the run's data (catsim follows an If whose condition "
                                "shapes and constants decide)");
    const onnx::AttributeProto* branch = attr(n, cond->ints->front() != 0 ? "then_branch" : "else_branch");
    if (!branch || !branch->has_g()) return unsupported(i, "the branch it takes is missing");
    ++m_g.folded_nodes;
    walk_graph(branch->g());
    if (branch->g().output_size() != n.output_size())
      return unsupported(i, "its branch has " + std::to_string(branch->g().output_size()) + " outputs, the node " +
                                std::to_string(n.output_size()));
    for (int k = 0; k < n.output_size(); ++k) {
      const std::string& from = branch->g().output(k).name();
      const Value* v = m_values.find(from);
      if (!v) fail(node_line(i, "its branch's output '" + from + "' is produced by no node of the branch"));
      Value copy = *v;
      if (copy.poisoned) m_poison_reason[n.output(k)] = m_poison_reason[from];
      m_values.set(n.output(k), std::move(copy));
    }
  }

  // A node's inputs; throws for an input no earlier node produced.
  Inputs inputs_of(int i) {
    const auto& n = m_graph->node(i);
    Inputs in;
    for (int j = 0; j < n.input_size(); ++j) {
      if (n.input(j).empty()) {
        in.push_back(nullptr);
        continue;
      }
      const Value* v = m_values.find(n.input(j));
      if (!v) fail(node_line(i, "input '" + n.input(j) + "' is produced by no earlier node (the graph must be sorted)"));
      in.push_back(v);
    }
    return in;
  }

  // Op types the walk lowers or folds; any other type on computed data is unsupported.
  static bool lowered_type(const std::string& op) {
    return lowerings().count(op) > 0 || op == "Shape" || op == "Size" || op == "Constant" || op == "If";
  }

  bool poisoned_input(int i, const Inputs& in) {
    for (std::size_t j = 0; j < in.size(); ++j)
      if (in[j] && in[j]->poisoned) {
        const std::string& reason = m_poison_reason[m_graph->node(i).input(static_cast<int>(j))];
        if (!reason.empty() && m_reported.insert(reason).second &&
            std::find(m_out.unsupported.begin(), m_out.unsupported.end(), reason) == m_out.unsupported.end())
          m_out.unsupported.push_back(reason);
        poison(m_graph->node(i), reason);
        const auto& n = m_graph->node(i);
        if (!lowered_type(n.op_type()) && m_fusions.group_of[i] < 0)  // named too: --list-unsupported lists every one
          m_out.unsupported.push_back(node_line(i, "this operator is not modelled"));
        return true;
      }
    return false;
  }

  void node(int i) {
    const auto& n = m_graph->node(i);
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      return unsupported(i, "operators of domain '" + n.domain() + "' are not modelled");
    if (n.op_type() == "Constant") return constant_node(i);
    if (n.op_type() == "Loop" || n.op_type() == "Scan")
      return unsupported(i, "loops (Loop, Scan) are not modelled");
    Inputs in = inputs_of(i);
    if (poisoned_input(i, in)) return;
    if (n.op_type() == "If") return if_node(i, in);
    bool all_constant = true;
    for (const Value* v : in)
      if (v && !v->constant) all_constant = false;
    if (all_constant || n.op_type() == "Shape" || n.op_type() == "Size") return fold(i, in);
    lower(i, in);
  }

  void constant_node(int i) {
    const auto& n = m_graph->node(i);
    if (n.attribute_size() != 1) return unsupported(i, "a Constant needs exactly one value attribute");
    const std::optional<T> t = constant_tensor(n);
    if (!t) return unsupported(i, "a Constant given as '" + n.attribute(0).name() + "' is not modelled");
    (void)add_constant(n.output(0), *t, m_depth == 1);  // a branch's were counted with the file's
  }

  // A node computed from constants only: its outputs are constants (the shapes of a weight view, the
  // integers of shape arithmetic), computed at import, not in the run.
  void fold(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    std::optional<std::vector<Shape>> shapes = output_shapes(n, in, m_opset);
    std::vector<std::int32_t> types(static_cast<std::size_t>(n.output_size()), in.empty() || !in[0] ? 0 : in[0]->type);
    if (!shapes) {
      shapes.emplace();
      infer_fallback_shapes();
      for (int o = 0; o < n.output_size(); ++o) {
        auto it = m_inferred.find(n.output(o));
        if (it == m_inferred.end()) {
          poison(n, node_line(i, "cannot compute the shape of this constant subgraph's output '" + n.output(o) + "'"));
          for (int p = 0; p < n.output_size(); ++p) m_poison_reason[n.output(p)] = m_poison_reason[n.output(o)];
          return;
        }
        shapes->push_back(it->second.first);
        types[static_cast<std::size_t>(o)] = it->second.second;
      }
    }
    ++m_g.folded_nodes;
    bool weight = false;
    for (const Value* v : in) weight = weight || (v && v->weight);
    if (n.op_type() == "Shape" || n.op_type() == "Size") weight = false, types.assign(types.size(), T::INT64);
    if (n.op_type() == "Cast") types.assign(types.size(), static_cast<std::int32_t>(attr_int(n, "to", 0)));
    for (int o = 0; o < n.output_size() && o < static_cast<int>(shapes->size()); ++o) {
      Value v;
      v.constant = true;
      v.shape = (*shapes)[static_cast<std::size_t>(o)];
      v.type = types[static_cast<std::size_t>(o)];
      v.weight = weight && is_float_type(v.type);
      if (o == 0) v.ints = fold_ints(n, in, v.shape, m_opset);
      if (v.ints && static_cast<std::int64_t>(v.ints->size()) != v.elements()) v.ints.reset();  // a foreign shape
      m_values.set(n.output(o), std::move(v));
    }
  }

  // The ops whose results a node reads, in input order: what each new op depends on.
  static std::vector<int> deps_of(const Inputs& in) {
    std::vector<int> deps;
    for (const Value* v : in)
      if (v)
        for (int p : v->producers)
          if (std::find(deps.begin(), deps.end(), p) == deps.end()) deps.push_back(p);
    return deps;
  }

  // A tensor that holds data computed in the run: a view of its inputs' producers.
  void view(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    auto shapes = output_shapes(n, in, m_opset);
    if (!shapes) return unsupported(i, "its output shape depends on values known only at run time");
    ++m_g.view_nodes;
    bool reordered = false;
    for (const Value* v : in) reordered = reordered || (v && v->reordered);
    if (n.op_type() == "Transpose" && in[0] && !in[0]->shape.empty()) {  // does the innermost axis move?
      const auto perm = attr_ints(n, "perm");
      const auto last = static_cast<std::int64_t>(in[0]->shape.size()) - 1;
      if (!perm || perm->back() != last) reordered = reordered || in[0]->shape.back() > 1;
    }
    const std::vector<int> producers = deps_of(in);
    for (int o = 0; o < n.output_size() && o < static_cast<int>(shapes->size()); ++o) {
      Value v;
      v.shape = (*shapes)[static_cast<std::size_t>(o)];
      v.type = n.op_type() == "Cast" ? static_cast<std::int32_t>(attr_int(n, "to", 0)) : in[0] ? in[0]->type : 0;
      v.reordered = reordered;
      v.producers = producers;
      m_values.set(n.output(o), std::move(v));
    }
  }

  // The precision a tensor of ONNX type `type` is computed and stored in: the type's own (fp32, fp16, bf16,
  // int8/uint8), else the graph's activation precision (int32 accumulators, int64 ids, booleans).
  // An int32 or uint32 tensor (an integer matmul's results) is a 32-bit word: stored as fp32's width.
  Precision precision_or_default(std::int32_t type) const {
    if (type == T::INT32 || type == T::UINT32) return Precision::fp32;
    return precision_of(type).value_or(m_g.activations);
  }

  // Adds `op`, whose output (of ONNX type `type`) is node i's first output. The op keeps the graph's tensor
  // types as its precisions: its result `type`, its left operand (or vector input) `input_type` (0: the
  // same), a matmul's right operand as the caller set b_prec.
  int emit(int i, Op op, const Shape& out_shape, std::int32_t type, std::int32_t input_type = 0) {
    for (std::int64_t d : out_shape)
      if (d < 1) throw ShapeError{"an output dimension of " + std::to_string(d)};
    op.name = node_name(i);
    op.out_prec = precision_or_default(type);
    op.a_prec = precision_or_default(input_type ? input_type : type);
    if (!is_matmul(op.kind)) op.b_prec = op.a_prec;
    m_g.ops.push_back(std::move(op));
    const int id = static_cast<int>(m_g.ops.size()) - 1;
    Value v;
    v.shape = out_shape;
    v.type = type;
    v.producers = {id};
    v.direct = id;
    const auto& n = m_graph->node(i);
    m_values.set(n.output(0), std::move(v));
    for (int k = 1; k < n.output_size(); ++k) {  // LayerNormalization's mean, MaxPool's indices, ...
      if (n.output(k).empty()) continue;
      Value extra;
      extra.poisoned = true;
      m_poison_reason[n.output(k)] = node_line(i, "its output " + std::to_string(k) + " ('" + n.output(k) + "') is not modelled");
      m_values.set(n.output(k), std::move(extra));
    }
    return id;
  }

  // An operand whose data several ops produced (a Concat of their results): gathered by a copy into one
  // tensor first, so that the matmul reading it waits for every producer and reads one source.
  Value single_producer(int i, const Value& v) {
    if (v.producers.size() <= 1) return v;
    Op o;
    o.kind = OpKind::copy;
    o.n = v.shape.empty() ? 1 : v.shape.back();
    o.m = v.elements() / o.n;
    o.deps = v.producers;
    o.reordered_rows = v.reordered;
    o.name = node_name(i) + ".gather_inputs";
    o.a_prec = o.b_prec = o.out_prec = precision_or_default(v.type);
    m_g.ops.push_back(std::move(o));
    Value out = v;
    out.producers = {static_cast<int>(m_g.ops.size()) - 1};
    out.direct = -1;
    out.reordered = false;
    return out;
  }

  static void require_positive(const Shape& shape) {
    for (std::int64_t d : shape)
      if (d < 1) throw ShapeError{"a dimension of " + std::to_string(d) + " (catsim models tensors with elements)"};
  }

  // A vector op over `shape`; its result has its first input's type unless `out_type` names another.
  int vector_op(int i, OpKind kind, const Shape& shape, const Inputs& in, int inputs, std::int64_t cols = -1,
                std::int32_t out_type = 0) {
    require_positive(shape);
    Op o;
    o.kind = kind;
    std::int64_t elements = 1;
    for (std::int64_t d : shape) elements = mul_i64(elements, d, "elements");
    o.n = cols > 0 ? cols : (shape.empty() ? 1 : shape.back());
    o.m = elements / o.n;
    o.inputs = std::max(inputs, 1);
    o.deps = deps_of(in);
    for (const Value* v : in) o.reordered_rows = o.reordered_rows || (v && v->reordered);
    const std::int32_t in_type = in[0] ? in[0]->type : 0;
    return emit(i, std::move(o), shape, out_type ? out_type : in_type, in_type);
  }

  // Inputs of an element-wise op that are read element by element (a scalar, computed or not, is held).
  static int streamed_inputs(const Inputs& in) {
    int k = 0;
    for (const Value* v : in)
      if (v && v->elements() > 1) ++k;
    return k;
  }

  using Lowering = void (Importer::*)(int, const Inputs&);

  // The element-wise functions the activation op computes, by ONNX op type.
  static const std::map<std::string, Activation>& activations() {
    static const std::map<std::string, Activation> table = {
        {"Relu", Activation::relu},           {"Tanh", Activation::tanh},
        {"Sigmoid", Activation::sigmoid},     {"Clip", Activation::clip},
        {"LeakyRelu", Activation::leaky_relu}, {"HardSigmoid", Activation::hardsigmoid},
        {"HardSwish", Activation::hardswish}, {"Exp", Activation::exp},
        {"Sqrt", Activation::sqrt},           {"Reciprocal", Activation::reciprocal}};
    return table;
  }

  // Every op type the walk lowers on computed data, and the member that lowers it: the one list that both
  // lower() and lowered_type() read.
  static const std::map<std::string, Lowering>& lowerings() {
    static const std::map<std::string, Lowering> table = [] {
      std::map<std::string, Lowering> t;
      auto add = [&](std::initializer_list<const char*> ops, Lowering how) {
        for (const char* op : ops) t.emplace(op, how);
      };
      add({"Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten", "Identity", "Dropout", "Cast", "Expand", "Concat",
           "Split", "Slice"},
          &Importer::view);
      add({"Gather"}, &Importer::gather);
      add({"MatMul", "Gemm", "MatMulInteger", "QLinearMatMul"}, &Importer::matmul);
      add({"Conv", "ConvInteger", "QLinearConv"}, &Importer::conv);
      add({"ConvTranspose"}, &Importer::conv_transpose);
      add({"Einsum"}, &Importer::einsum);
      add({"Pad", "Resize", "Tile", "Upsample", "DepthToSpace", "SpaceToDepth"}, &Importer::copy);
      add({"BatchNormalization", "QuantizeLinear", "DequantizeLinear"}, &Importer::scale_shift);
      add({"DynamicQuantizeLinear"}, &Importer::dynamic_quantize);
      add({"MaxPool", "AveragePool"}, &Importer::pool);
      add({"GlobalAveragePool", "GlobalMaxPool", "ReduceMean", "ReduceSum", "ReduceMax"}, &Importer::reduction);
      add({"Pow"}, &Importer::power);
      add({"Add", "Sub", "Mul", "Div"}, &Importer::elementwise);
      add({"Softmax"}, &Importer::softmax);
      add({"LSTM", "GRU", "RNN"}, &Importer::recurrent);
      add({"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Max", "Min", "And", "Or", "Xor", "Where",
           "Not", "Neg", "Abs"},
          &Importer::compare_select);
      add({"LayerNormalization"}, &Importer::layer_normalization);
      for (const auto& [op, act] : activations()) t.emplace(op, &Importer::activation);
      return t;
    }();
    return table;
  }

  void lower(int i, const Inputs& in) {
    const auto it = lowerings().find(m_graph->node(i).op_type());
    if (it == lowerings().end()) return unsupported(i, "this operator is not modelled");
    (this->*it->second)(i, in);
  }

  // Per-channel a x + b (the constants are small): QuantizeLinear's result has its zero point's type (uint8
  // without one), DequantizeLinear's its scale's.
  void scale_shift(int i, const Inputs& in) {
    const std::string& op = m_graph->node(i).op_type();
    std::int32_t out = 0;
    if (op == "QuantizeLinear") out = in.size() > 2 && in[2] ? in[2]->type : static_cast<std::int32_t>(T::UINT8);
    if (op == "DequantizeLinear") out = in.size() > 1 && in[1] ? in[1]->type : static_cast<std::int32_t>(T::FLOAT);
    vector_op(i, OpKind::scale_shift, in[0]->shape, {in[0]}, 1, -1, out);
  }

  void dynamic_quantize(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    vector_op(i, OpKind::quantize, in[0]->shape, {in[0]}, 1, -1, T::UINT8);
    for (int k = 1; k < n.output_size(); ++k) {  // the scale and zero point: scalars the same op computes
      Value v = *m_values.find(n.output(0));
      v.shape = {};
      v.direct = -1;
      v.type = k == 1 ? in[0]->type : static_cast<std::int32_t>(T::UINT8);
      m_values.set(n.output(k), std::move(v));
    }
  }

  void pool(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    const Shape out = output_shapes(n, in, m_opset)->front();
    require_positive(out);
    std::int64_t window = 1;
    const std::vector<std::int64_t> kernel = attr_ints(n, "kernel_shape").value_or(std::vector<std::int64_t>{});
    for (std::int64_t k : kernel) window = mul_i64(window, k, "pooling window");
    std::int64_t rows = 1;
    for (std::int64_t d : out) rows = mul_i64(rows, d, "pooling outputs");
    reduce_op(i, n.op_type() == "MaxPool" ? OpKind::reduce_max : OpKind::reduce_mean, out, rows, window, in[0]);
  }

  void reduction(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    const std::string& op = n.op_type();
    const auto shapes = output_shapes(n, in, m_opset);
    if (!shapes) return unsupported(i, "its axes are computed at run time");
    const Shape out = shapes->front();
    require_positive(out);
    require_positive(in[0]->shape);
    std::int64_t rows = 1;
    for (std::int64_t d : out) rows = mul_i64(rows, d, "reduction outputs");
    const OpKind kind = op == "GlobalMaxPool" || op == "ReduceMax" ? OpKind::reduce_max
                        : op == "ReduceSum"                        ? OpKind::reduce_sum
                                                                   : OpKind::reduce_mean;
    reduce_op(i, kind, out, rows, in[0]->elements() / rows, in[0]);
  }

  void power(int i, const Inputs& in) {
    if (!(in[1] && in[1]->constant && in[1]->scalar && *in[1]->scalar == 2.0))
      return unsupported(i, "this operator is not modelled");
    const int id = vector_op(i, OpKind::activation, in[0]->shape, {in[0]}, 1);
    m_g.ops[static_cast<std::size_t>(id)].act = Activation::square;
  }

  void softmax(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    const Shape& s = in[0]->shape;
    const std::int64_t axis = attr_int(n, "axis", m_opset >= 13 ? -1 : 1);
    auto a = normalize_axis(axis, s.size());
    if (!a) return unsupported(i, "axis out of range");
    std::int64_t cols = s[static_cast<std::size_t>(*a)];
    if (m_opset < 13)  // the input is flattened at `axis` into rows of everything after it
      for (std::size_t d = static_cast<std::size_t>(*a) + 1; d < s.size(); ++d) cols = mul_i64(cols, s[d], "Softmax");
    vector_op(i, OpKind::softmax, s, in, 1, cols);
  }

  void layer_normalization(int i, const Inputs& in) {
    const Shape& s = in[0]->shape;
    auto a = normalize_axis(attr_int(m_graph->node(i), "axis", -1), s.size());
    if (!a) return unsupported(i, "axis out of range");
    std::int64_t cols = 1;
    for (std::size_t d = static_cast<std::size_t>(*a); d < s.size(); ++d) cols = mul_i64(cols, s[d], "LayerNormalization");
    vector_op(i, OpKind::layernorm, s, in, 1, cols);
  }

  void activation(int i, const Inputs& in) {
    const int id = vector_op(i, OpKind::activation, in[0]->shape, in, 1);
    m_g.ops[static_cast<std::size_t>(id)].act = activations().at(m_graph->node(i).op_type());
  }

  void fused(int i, const FusedGroup& g) {
    const Value* x = m_values.find(g.input);
    if (!x) fail(node_line(i, "input '" + g.input + "' is produced by no earlier node"));
    if (x->poisoned) {
      poison(m_graph->node(i), m_poison_reason[g.input]);
      return;
    }
    const Inputs in = {x};
    const OpKind kind = g.kind == FusedKind::layernorm ? OpKind::layernorm
                        : g.kind == FusedKind::rmsnorm ? OpKind::rmsnorm
                                                       : OpKind::activation;
    std::int64_t cols = -1;  // a norm's row: the dimensions its ReduceMean averages (channels-first too)
    if (g.reduce >= 0) {
      const auto& r = m_graph->node(g.reduce);
      std::optional<std::vector<std::int64_t>> axes = attr_ints(r, "axes");
      if (!axes && r.input_size() > 1)
        if (const Value* v = m_values.find(r.input(1)); v && v->ints) axes = *v->ints;
      if (!axes || axes->empty() || attr_int(r, "keepdims", 1) == 0)
        return unsupported(i, "a written-out norm whose averaged axes are not given as constants");
      cols = 1;
      std::set<std::int64_t> seen;
      for (std::int64_t a : *axes) {
        auto axis = normalize_axis(a, x->shape.size());
        if (!axis || !seen.insert(*axis).second) return unsupported(i, "a norm's axes are out of range or repeated");
        cols = mul_i64(cols, x->shape[static_cast<std::size_t>(*axis)], "norm");
      }
    }
    const int id = vector_op(i, kind, x->shape, in, 1, cols);
    if (g.kind == FusedKind::gelu) m_g.ops[id].act = Activation::gelu;
    m_g.ops[id].name = node_name(i) + (g.kind == FusedKind::gelu ? " (erf GELU)" : g.kind == FusedKind::layernorm
                                                                                      ? " (LayerNorm)"
                                                                                      : " (RMSNorm)");
    // The group's result is its last node's output, which emit() named after node i's first output.
    Value v = *m_values.find(m_graph->node(i).output(0));
    m_values.set(g.output, std::move(v));
  }

  void gather(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    if (!in[0]->constant) return view(i, in);  // rows picked from computed data (a CLS token): a strided read
    if (attr_int(n, "axis", 0) != 0) return unsupported(i, "a gather of stored weights along an axis other than 0");
    auto shapes = output_shapes(n, in, m_opset);
    Op o;
    o.kind = OpKind::embedding;
    o.m = in[1]->elements();
    o.n = 1;
    for (std::size_t d = 1; d < in[0]->shape.size(); ++d) o.n = mul_i64(o.n, in[0]->shape[d], "Gather");
    o.b_is_weight = true;
    o.deps = deps_of(in);
    emit(i, std::move(o), shapes->front(), in[0]->type);
  }

  // A two-operand Einsum: the batched matmul (or, with a stored operand and no batch, the GEMM) it computes.
  void einsum(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    const onnx::AttributeProto* eq = attr(n, "equation");
    if (!eq || in.size() != 2) return unsupported(i, "two operands and an equation are modelled");
    require_positive(operand(in, 0)->shape);
    require_positive(operand(in, 1)->shape);
    const Value a_value = single_producer(i, *in[0]), b_value = single_producer(i, *in[1]);
    const Value* a = &a_value;
    const Value* b = &b_value;
    EinsumPlan p = einsum_plan(eq->s(), a->shape, b->shape);
    if (a->producers.empty() && !b->producers.empty()) {  // the transposed product, computed data on the left
      std::swap(a, b);
      std::swap(p.m, p.n);
    }
    Op o;
    o.m = p.m, o.k = p.k, o.n = p.n;
    o.b_is_weight = b->constant;
    if (b->constant && p.batch == 1) {
      o.kind = OpKind::gemm;
    } else {
      o.kind = OpKind::batched_matmul;
      o.count = o.b_count = p.batch;
    }
    o.macs = product_u64("MACs", o.count, o.m, o.k, o.n);
    o.deps = deps_of({a, b});
    o.reordered_rows = a->reordered;
    o.b_prec = precision_or_default(b->type);
    emit(i, std::move(o), p.out, a->type);
  }

  // Data movement with no arithmetic (padding, resizing, tiling, depth/space shuffles): the result is
  // loaded and stored through the vector unit's buffer, so the bytes are simulated and reported.
  void copy(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    const auto shapes = output_shapes(n, in, m_opset);
    if (!shapes) return unsupported(i, "its output shape depends on values known only at run time");
    // Rows of the input in, as many output elements per row out as the whole output needs.
    const Shape& out = shapes->front();
    require_positive(out);
    require_positive(in[0]->shape);
    std::int64_t out_elements = 1;
    for (std::int64_t d : out) out_elements = mul_i64(out_elements, d, "elements");
    Op o;
    o.kind = OpKind::copy;
    o.n = in[0]->shape.empty() ? 1 : in[0]->shape.back();
    o.m = in[0]->elements() / o.n;
    o.out_cols = (out_elements + o.m - 1) / o.m;
    o.deps = deps_of({in[0]});
    o.reordered_rows = in[0]->reordered;
    emit(i, std::move(o), out, in[0]->type);
  }

  static const Value* operand(const Inputs& in, std::size_t i) {
    if (i >= in.size() || !in[i]) throw ShapeError{"input " + std::to_string(i) + " is missing"};
    return in[i];
  }

  // A quantized matmul's int32 results scaled to the output's 8 bits: one scale-and-shift pass.
  void requantize(int i, int matmul, const Shape& out, std::int32_t out_type) {
    Value acc = *m_values.find(m_graph->node(i).output(0));
    const int id = vector_op(i, OpKind::scale_shift, out, {&acc}, 1, -1, out_type);
    m_g.ops[static_cast<std::size_t>(id)].name += ".requantize";
    m_g.ops[static_cast<std::size_t>(id)].deps = {matmul};
  }

  // A reduction: `rows` outputs, each from `cols` inputs.
  void reduce_op(int i, OpKind kind, const Shape& out, std::int64_t rows, std::int64_t cols, const Value* x) {
    Op o;
    o.kind = kind;
    o.m = rows, o.n = cols, o.out_cols = 1;
    o.deps = deps_of({x});
    o.reordered_rows = x->reordered;
    emit(i, std::move(o), out, x->type);
    const auto& n = m_graph->node(i);
    for (int k = 1; k < n.output_size(); ++k) m_values.set(n.output(k), *m_values.find(n.output(0)));  // MaxPool's indices
  }

  // MatMul, Gemm, MatMulInteger and QLinearMatMul (whose result is then requantized on the vector unit).
  void matmul(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    const bool gemm_op = n.op_type() == "Gemm", qlinear = n.op_type() == "QLinearMatMul";
    require_positive(operand(in, 0)->shape);
    require_positive(operand(in, qlinear ? 3 : 1)->shape);
    const Value lhs_value = single_producer(i, *operand(in, 0)), rhs_value = single_producer(i, *operand(in, qlinear ? 3 : 1));
    const Value* lhs = &lhs_value;
    const Value* rhs = &rhs_value;
    Shape a = lhs->shape, b = rhs->shape;
    if (gemm_op) gemm_operands(n, a, b);
    const Shape out = matmul_output(a, b);
    if (a.size() == 1) a.insert(a.begin(), 1);
    if (b.size() == 1) b.push_back(1);
    if (lhs->producers.empty() && !rhs->producers.empty()) {
      // weights (or a graph input) x computed data: the array computes the transposed product, the computed
      // operand on the left, so that deps[0] names the left operand's producer.
      std::swap(lhs, rhs);
      std::swap(a, b);
      std::swap(a[a.size() - 1], a[a.size() - 2]);
      std::swap(b[b.size() - 1], b[b.size() - 2]);
    }
    Op o;
    o.m = a[a.size() - 2], o.k = a.back(), o.n = b.back();
    const Shape a_batch(a.begin(), a.end() - 2), b_batch(b.begin(), b.end() - 2);
    std::int64_t a_count = 1, b_count = 1, count = 1;
    for (std::int64_t d : a_batch) a_count = mul_i64(a_count, d, "batch");
    for (std::int64_t d : b_batch) b_count = mul_i64(b_count, d, "batch");
    const std::optional<Shape> batch = broadcast(a_batch, b_batch);
    if (!batch) throw ShapeError{"batch dimensions do not broadcast"};
    for (std::int64_t d : *batch) count = mul_i64(count, d, "batch");
    o.b_is_weight = rhs->constant;
    if (rhs->constant && b_count == 1) {
      o.kind = OpKind::gemm;
      o.m = mul_i64(a_count, o.m, "rows");
    } else {
      o.kind = OpKind::batched_matmul;
      o.count = count;
      o.b_count = b_count;
      if (count % b_count != 0) return unsupported(i, "a batch broadcast the compiler does not model");
    }
    o.macs = product_u64("MACs", o.count, o.m, o.k, o.n);
    o.deps = deps_of({lhs, rhs});  // the left operand's producer first, the right one's second
    o.reordered_rows = lhs->reordered;
    const Value* c = gemm_op && in.size() > 2 ? in[2] : nullptr;
    if (c && c->constant) o.bias = true;
    o.b_prec = precision_or_default(rhs->type);
    const bool integer = qlinear || n.op_type() == "MatMulInteger";  // int32 results
    const int id = emit(i, std::move(o), out, integer ? static_cast<std::int32_t>(T::INT32) : lhs->type, lhs->type);
    if (qlinear) requantize(i, id, out, in.size() > 7 && in[7] ? in[7]->type : static_cast<std::int32_t>(T::UINT8));
    if (c && !c->constant) {  // a computed C: its own element-wise add
      Op add;
      add.kind = OpKind::add;
      add.n = out.back(), add.m = out[0], add.inputs = 2;
      add.deps = {id};
      for (int p : c->producers) add.deps.push_back(p);
      emit(i, std::move(add), out, lhs->type);
      m_g.ops.back().name += ".add_c";
    }
  }

  // Conv, ConvInteger and QLinearConv (whose result is then requantized on the vector unit).
  void conv(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    const bool qlinear = n.op_type() == "QLinearConv";
    const Value x_value = single_producer(i, *operand(in, 0));
    const Value* x = &x_value;
    const Value* filter = operand(in, qlinear ? 3 : 1);
    const std::size_t bias_at = qlinear ? 8 : n.op_type() == "Conv" ? 2 : in.size();
    if (!filter->constant) return unsupported(i, "a convolution with a computed filter");
    require_positive(x->shape);
    require_positive(filter->shape);
    const Shape out = conv_output(n, x->shape, filter->shape);
    const Shape& w = filter->shape;
    const std::int64_t group = attr_int(n, "group", 1);
    Op o;
    o.m = out[0];
    for (std::size_t d = 2; d < out.size(); ++d) o.m = mul_i64(o.m, out[d], "output pixels");
    o.k = w[1];
    for (std::size_t d = 2; d < w.size(); ++d) o.k = mul_i64(o.k, w[d], "filter size");
    o.n = w[0] / group;
    o.b_is_weight = true;
    o.bias = bias_at < in.size() && in[bias_at];
    if (group == 1) {
      o.kind = OpKind::gemm;
    } else {  // one GEMM per group, each with its own filters (depthwise: one channel each)
      o.kind = OpKind::batched_matmul;
      o.count = o.b_count = group;
    }
    o.macs = product_u64("MACs", o.count, o.m, o.k, o.n);
    o.deps = deps_of({x});
    o.reordered_rows = x->reordered;
    o.b_prec = precision_or_default(filter->type);
    const bool integer = qlinear || n.op_type() == "ConvInteger";  // int32 results
    const int id = emit(i, std::move(o), out, integer ? static_cast<std::int32_t>(T::INT32) : x->type, x->type);
    if (qlinear) requantize(i, id, out, in.size() > 7 && in[7] ? in[7]->type : static_cast<std::int32_t>(T::UINT8));
  }

  // ConvTranspose: each input pixel's channels times the filters give its whole output window (a GEMM of
  // input pixels x channels/group x filters/group·kernel, one per group); the windows that overlap are then
  // summed into the output on the vector unit (col2im: one sum per output element over the window products
  // that land on it, ⌈products / outputs⌉ on average), the bias added in the same pass.
  void conv_transpose(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    const Value x_value = single_producer(i, *operand(in, 0));
    const Value* x = &x_value;
    const Value* filter = operand(in, 1);
    if (!filter->constant) return unsupported(i, "a transposed convolution with a computed filter");
    require_positive(x->shape);
    require_positive(filter->shape);
    const Shape out = output_shapes(n, in, m_opset)->front();
    const Shape& w = filter->shape;
    const std::int64_t group = attr_int(n, "group", 1);
    Op o;
    o.m = x->shape[0];
    for (std::size_t d = 2; d < x->shape.size(); ++d) o.m = mul_i64(o.m, x->shape[d], "input pixels");
    o.k = w[0] / group;
    o.n = w[1];
    for (std::size_t d = 2; d < w.size(); ++d) o.n = mul_i64(o.n, w[d], "filter size");
    o.b_is_weight = true;
    o.kind = group == 1 ? OpKind::gemm : OpKind::batched_matmul;
    o.count = o.b_count = group;
    o.macs = product_u64("MACs", o.count, o.m, o.k, o.n);
    o.deps = deps_of({x});
    o.reordered_rows = x->reordered;
    const Shape products = {o.count, o.m, o.n};
    const std::int64_t total = mul_i64(mul_i64(o.count, o.m, "products"), o.n, "products");
    o.b_prec = precision_or_default(filter->type);
    const int gemm = emit(i, std::move(o), products, x->type);
    std::int64_t outputs = 1;
    for (std::int64_t d : out) outputs = mul_i64(outputs, d, "outputs");
    Op col2im;
    col2im.kind = OpKind::reduce_sum;
    col2im.m = outputs;
    col2im.n = total / outputs + (total % outputs != 0 ? 1 : 0);
    col2im.out_cols = 1;
    col2im.deps = {gemm};
    if (in.size() > 2 && in[2])  // a computed bias is added in the same pass: its producers come first
      for (int p : in[2]->producers) col2im.deps.push_back(p);
    col2im.reordered_rows = true;  // an output element gathers products of several input pixels
    emit(i, std::move(col2im), out, x->type);
    m_g.ops.back().name += ".col2im";
  }

  // Add, Sub, Mul, Div on computed data. A bias added to a matmul's own output joins the matmul (the
  // array adds it as results leave); a scalar scale of one does too (attention's 1/sqrt(d)).
  void elementwise(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    const std::string& op = n.op_type();
    const int data = in[0]->constant ? 1 : 0;
    const Value* x = in[static_cast<std::size_t>(data)];
    const Value* c = in[static_cast<std::size_t>(1 - data)];
    const Shape out = output_shapes(n, in, m_opset)->front();
    if (c->constant && x->direct >= 0 && is_matmul(m_g.ops[x->direct].kind) && m_readers[n.input(data)] == 1 &&
        out == x->shape) {
      Op& producer = m_g.ops[static_cast<std::size_t>(x->direct)];
      const bool scalar = c->elements() == 1;
      const bool bias_shape = !c->shape.empty() && c->shape.back() == producer.n && c->elements() == producer.n;
      if ((op == "Mul" || (op == "Div" && data == 0)) && scalar) return alias(n, *x);
      if ((op == "Add" || (op == "Sub" && data == 0)) && bias_shape && !producer.bias) {
        producer.bias = true;
        return alias(n, *x);
      }
    }
    if (op == "Div" && !in[1]->constant)
      return (void)vector_op(i, OpKind::div, out, in, streamed_inputs(in));
    vector_op(i, op == "Add" || op == "Sub" ? OpKind::add : OpKind::mul, out, in, streamed_inputs(in));
  }

  // Comparisons, logic, min/max, selection and sign operations on computed data: one ALU pass per element,
  // priced like an addition, reading every input that is not a held scalar.
  void compare_select(int i, const Inputs& in) {
    const std::string& op = m_graph->node(i).op_type();
    const auto shapes = output_shapes(m_graph->node(i), in, m_opset);
    if (!shapes) return unsupported(i, "its output shape depends on values known only at run time");
    const bool boolean = op != "Where" && op != "Max" && op != "Min" && op != "Neg" && op != "Abs";
    const std::int32_t out = boolean ? static_cast<std::int32_t>(T::BOOL) : op == "Where" && in.size() > 1 && in[1] ? in[1]->type : 0;
    vector_op(i, OpKind::add, shapes->front(), in, streamed_inputs(in), -1, out);
  }

  // LSTM, GRU and RNN: unrolled over their time steps (onnx_recurrent.h states the lowering).
  void recurrent(int i, const Inputs& in) {
    const auto& n = m_graph->node(i);
    RecurrentNode r;
    r.name = node_name(i).substr(0, kMaxRecurrentPrefix);  // copied into every unrolled op's name
    r.kind = n.op_type() == "LSTM" ? CellKind::lstm : n.op_type() == "GRU" ? CellKind::gru : CellKind::rnn;
    const Value* x = operand(in, 0);
    const Value* w = operand(in, 1);
    const Value* rw = operand(in, 2);
    if (!w->constant || !rw->constant) return unsupported(i, "weights computed in the run");
    const bool batch_first = attr_int(n, "layout", 0) != 0;
    if (x->shape.size() != 3 || w->shape.size() != 3 || rw->shape.size() != 3)
      throw ShapeError{"X, W and R must have rank 3"};
    require_positive(x->shape);
    r.steps = x->shape[batch_first ? 1 : 0];
    r.batch = x->shape[batch_first ? 0 : 1];
    r.input = x->shape[2];
    const std::int64_t gates = gates_of(r.kind);
    r.hidden = attr_int(n, "hidden_size", rw->shape[2]);
    const std::string direction = attr(n, "direction") ? attr(n, "direction")->s() : "forward";
    if (direction != "forward" && direction != "reverse" && direction != "bidirectional")
      throw ShapeError{"direction '" + direction + "'"};
    r.forward = direction != "reverse";
    r.reverse = direction != "forward";
    const std::int64_t dirs = direction == "bidirectional" ? 2 : 1;
    const std::int64_t gate_rows = r.hidden < 1 ? 0 : mul_i64(gates, r.hidden, "gate rows");
    if (r.hidden < 1 || w->shape != Shape{dirs, gate_rows, r.input} || rw->shape != Shape{dirs, gate_rows, r.hidden})
      throw ShapeError{"W or R does not match " + std::to_string(dirs) + " direction(s), " + std::to_string(gates) +
                       " gate(s) of hidden_size " + std::to_string(r.hidden) + " and input size " + std::to_string(r.input)};
    r.bias = in.size() > 3 && in[3];
    r.peepholes = r.kind == CellKind::lstm && in.size() > 7 && in[7];
    r.linear_before_reset = r.kind == CellKind::gru && attr_int(n, "linear_before_reset", 0) != 0;
    if (const auto* names = attr(n, "activations")) {
      const int per_direction = r.kind == CellKind::lstm ? 3 : r.kind == CellKind::gru ? 2 : 1;
      if (names->strings_size() != per_direction * dirs)
        throw ShapeError{"activations names " + std::to_string(names->strings_size()) + " functions, the cell needs " +
                         std::to_string(per_direction * dirs)};
      for (int k = 0; k < per_direction; ++k) {
        const auto it = activations().find(names->strings(k));
        if (it == activations().end() || names->strings(k) != names->strings(k + per_direction * (dirs - 1))) {
          std::string known;
          for (const auto& [name, function] : activations()) known += (known.empty() ? "" : ", ") + name;
          return unsupported(i, "the cell function '" + names->strings(k) + "' is not modelled (cells may use " + known +
                                    ", the same in both directions)");
        }
        r.functions[static_cast<std::size_t>(k)] = it->second;
      }
    } else if (r.kind == CellKind::rnn) {  // LSTM and GRU default to the struct's sigmoid, tanh, tanh
      r.functions = {Activation::tanh, Activation::tanh, Activation::tanh};
    }
    if (r.steps > kMaxRecurrentSteps || (m_unrolled_steps += dirs * r.steps) > kMaxRecurrentSteps)
      return unsupported(i, "the graph's recurrences unroll into more than " + std::to_string(kMaxRecurrentSteps) +
                                " time steps (" + std::to_string(r.steps) + " here, in " + std::to_string(dirs) +
                                " direction(s))");
    r.input_deps = deps_of({x});
    r.input_reordered = x->reordered;
    r.state_deps = deps_of({in.size() > 5 ? in[5] : nullptr, in.size() > 6 && r.kind == CellKind::lstm ? in[6] : nullptr});
    const int first = static_cast<int>(m_g.ops.size());
    RecurrentOps ops = lower_recurrent(r, first);
    for (Op& o : ops.ops) {
      o.a_prec = o.out_prec = precision_or_default(x->type);
      o.b_prec = is_matmul(o.kind) ? precision_or_default(w->type) : o.a_prec;
      m_g.ops.push_back(std::move(o));
    }
    // Outputs: Y (every step), Y_h and Y_c (the last step), in the node's layout.
    const Shape y = batch_first ? Shape{r.batch, r.steps, dirs, r.hidden} : Shape{r.steps, dirs, r.batch, r.hidden};
    const Shape last = batch_first ? Shape{r.batch, dirs, r.hidden} : Shape{dirs, r.batch, r.hidden};
    const std::vector<int>* producers[] = {&ops.y, &ops.last_h, &ops.last_c};
    for (int k = 0; k < n.output_size() && k < 3; ++k) {
      if (n.output(k).empty()) continue;
      Value v;
      v.shape = k == 0 ? y : last;
      v.type = x->type;
      v.producers = *producers[k];
      v.direct = v.producers.size() == 1 ? v.producers.front() : -1;
      v.reordered = k == 0 && v.producers.size() > 1;  // Y holds every step's result: a reader waits for all
      m_values.set(n.output(k), std::move(v));
    }
  }

  void alias(const onnx::NodeProto& n, const Value& v) {
    ++m_g.folded_nodes;
    m_values.set(n.output(0), v);
  }

  const OnnxRequest& m_req;
  OnnxOutcome& m_out;
  ImportedGraph& m_g;
  onnx::ModelProto m_model;
  std::int64_t m_opset = 0;
  ValueTable m_values;
  const onnx::GraphProto* m_graph = nullptr;  // the graph being walked: the model's, or a branch of an If
  int m_depth = 0;                              // graphs being walked: 1 + the If branches nested
  std::int64_t m_unrolled_steps = 0;            // time steps of the recurrent nodes lowered so far
  Fusions m_fusions;                            // of m_graph
  std::unordered_map<std::string, int> m_readers;
  std::unordered_map<std::string, std::pair<Shape, std::int32_t>> m_inferred;
  bool m_inferred_done = false;
  std::unordered_map<std::string, std::string> m_poison_reason;
  std::set<std::string> m_reported;
};

}  // namespace
}  // namespace catsim::onnx_import

extern "C" void catsim_onnx_import(const catsim::OnnxRequest& request, catsim::OnnxOutcome& outcome) {
  using namespace catsim::onnx_import;
  try {
    Importer(request, outcome).run();
  } catch (const ImportError& e) {
    outcome.error = e.message;
    outcome.error_key = e.key;
  } catch (const catsim::OverflowError& e) {
    outcome.error = std::string("a size overflows 64 bits: ") + e.what();
  } catch (const std::exception& e) {
    outcome.error = std::string("cannot import the graph: ") + one_line(e.what());
  }
}
