#include "workloads/onnx_loader.h"

#include <filesystem>

#include "arch/io/install_paths.h"

// Defined when the program links the importer (the tests); null in catsim, which loads the module.
extern "C" void catsim_onnx_import(const catsim::OnnxRequest&, catsim::OnnxOutcome&) __attribute__((weak));

namespace catsim {
namespace {

using ImportFn = void (*)(const OnnxRequest&, OnnxOutcome&);

ImportFn importer() {
  static const ImportFn fn = [] {
    if (catsim_onnx_import) return &catsim_onnx_import;
    return reinterpret_cast<ImportFn>(
        installed_module_entry("libcatsim_onnx.so", "catsim_onnx_import", "ONNX importer"));
  }();
  return fn;
}

OnnxOutcome run(const OnnxRequest& request, const SourceLocation& where) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(request.file, ec))
    throw ConfigError(where, "", "cannot read the ONNX graph " + request.file + ": no such file");
  OnnxOutcome out;
  importer()(request, out);
  return out;
}

// The graph's file, when the error's location is another file (a model.yaml naming it).
std::string named(const OnnxRequest& request, const SourceLocation& where) {
  namespace fs = std::filesystem;
  const bool same = fs::absolute(where.file).lexically_normal() == fs::absolute(request.file).lexically_normal();
  return same ? "" : request.file + ": ";
}

}  // namespace

bool is_onnx_file(const std::string& file) { return std::filesystem::path(file).extension() == ".onnx"; }

std::shared_ptr<const ImportedGraph> import_onnx(const OnnxRequest& request, const SourceLocation& where) {
  OnnxOutcome out = run(request, where);
  if (!out.unsupported.empty()) {
    for (std::string& line : out.unsupported) line = named(request, where) + line;
    throw UnsupportedOnnxNodes(where, named(request, where) + out.error, std::move(out.unsupported));
  }
  if (!out.error.empty()) throw ConfigError(where, out.error_key, named(request, where) + out.error);
  return std::make_shared<const ImportedGraph>(std::move(out.graph));
}


}  // namespace catsim
