// libFuzzer target: .onnx bytes through the ONNX importer, parameter counting and lowering, as
// `catsim info MODEL.onnx` runs them; a graph with symbolic inputs is run again with `batch` and `sequence`
// bound, as a user would bind them.

#include <string>

#include "arch/config/overrides.h"
#include "tests/fuzz/fuzz_support.h"
#include "workloads/model_parser.h"
#include "workloads/op_graph.h"
#include "workloads/parameters.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace catsim;
  const std::string file = fuzz::scratch_file(".onnx", data, size);
  auto check = [&](const std::vector<Override>& bind) {
    ModelSpec m = load_model(file, bind);
    (void)count_parameters(m).total();
    (void)weight_bytes(m);
    OpGraph g = lower(m);
    (void)g.total_macs();
    for (const Op& o : g.ops) {
      if (o.m <= 0 || o.n <= 0 || o.count <= 0) fuzz::finding("op " + o.name + " has a non-positive dimension");
      for (int d : o.deps)
        if (d < 0 || d >= static_cast<int>(g.ops.size())) fuzz::finding("op " + o.name + " depends on a missing op");
    }
  };
  fuzz::expect_clean([&] {
    try {
      check({});
    } catch (const ConfigError& e) {
      if (std::string(e.what()).find("unknown input dimensions") == std::string::npos) throw;
      check({{"model", "dims.batch", "1"}, {"model", "dims.sequence", "8"}});
    }
  });
  return 0;
}
