// libFuzzer target: space.yaml text through the search-space parser and its validation (base arch and
// model, every parameter's values, constraints, optimizer, accuracy source), as `catsim search` reads it
// before it evaluates anything; then the first and last point of the cross product.

#include <cmath>

#include "search/space.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace catsim;
  const std::string file = fuzz::scratch_file(".yaml", data, size);
  fuzz::expect_clean([&] {
    const SearchSpace space = load_space(file);
    const double points = space.total_points();
    fuzz::require_finite(points, "total_points");
    if (points < 1) fuzz::finding("a space that loads has no point");
    const Genes first = genes_at(space, 0);
    if (first.size() != space.hardware.size() + 1) fuzz::finding("genes of point 0 have the wrong length");
    if (points < 9.0e15) (void)genes_at(space, static_cast<std::uint64_t>(points) - 1);
  });
  return 0;
}
