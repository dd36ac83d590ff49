// libFuzzer target: a HuggingFace config.json through the import, parameter counting and lowering, as
// `catsim info config.json` runs them.

#include "tests/fuzz/fuzz_support.h"
#include "workloads/model_parser.h"
#include "workloads/op_graph.h"
#include "workloads/parameters.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace catsim;
  const std::string file = fuzz::scratch_file(".json", data, size);
  fuzz::expect_clean([&] {
    ModelSpec m = load_model(file);
    (void)count_parameters(m).total();
    OpGraph g = lower(m);
    (void)g.total_macs();
    for (const Op& o : g.ops)
      if (o.m <= 0 || o.n <= 0 || o.count <= 0) fuzz::finding("op " + o.name + " has a non-positive dimension");
  });
  return 0;
}
