// libFuzzer target: model.yaml text through the model parser, parameter counting and lowering, as
// `catsim info MODEL` runs them.

#include "tests/fuzz/fuzz_support.h"
#include "workloads/model_parser.h"
#include "workloads/op_graph.h"
#include "workloads/parameters.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace catsim;
  const std::string file = fuzz::scratch_file(".yaml", data, size);
  fuzz::expect_clean([&] {
    ModelSpec m = load_model(file);
    (void)count_parameters(m).total();
    (void)weight_bytes(m);
    OpGraph g = lower(m);
    (void)g.total_macs();
    for (const Op& o : g.ops)
      if (o.m <= 0 || o.n <= 0 || o.count <= 0) fuzz::finding("op " + o.name + " has a non-positive dimension");
  });
  return 0;
}
