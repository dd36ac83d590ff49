// Model shapes decoded from an index: the same order as the nested loops of a cross product (first
// parameter outermost), table rows as given, and the shipped CLIP space's million shapes without storing them.
#include <gtest/gtest.h>

#include <stdexcept>

#include "search/shape_list.h"
#include "search/space.h"
#include "tests/unit/search/search_fixture.h"

namespace catsim::test {
namespace {

TEST(ShapeList, CrossProductOrderIsTheNestedLoops) {
  const std::vector<std::vector<std::string>> values{{"a", "b"}, {"1", "2", "3"}, {"x", "y"}};
  const ShapeList s = ShapeList::cross(values);
  ASSERT_EQ(s.size(), 12u);  // 2 x 3 x 2
  std::size_t i = 0;
  for (const auto& a : values[0])
    for (const auto& n : values[1])
      for (const auto& x : values[2]) EXPECT_EQ(s[i++], (std::vector<std::string>{a, n, x})) << i;
  EXPECT_THROW(s[12], std::out_of_range);
}

TEST(ShapeList, NoParametersIsOneEmptyShapeAndRowsAreKept) {
  const ShapeList none = ShapeList::cross({});
  ASSERT_EQ(none.size(), 1u);
  EXPECT_TRUE(none[0].empty());
  const ShapeList rows = ShapeList::rows({{"2", "128"}, {"4", "256"}});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"4", "256"}));
}

TEST(ShapeList, ShippedClipSpaceHasAMillionShapes) {
  // Text tower: layers 6..12 (7) x FFN 4..8 blocks (5) x hidden (5) x heads 4..8 (5) = 875; vision: 7 x 5 x 5
  // x heads 6..12 (7) = 1225; 875 x 1225 = 1,071,875 shapes (0.6 GB as strings when they were stored).
  const SearchSpace s = load_space(source_path("configs/spaces/clip-vit-b32-pruning.yaml"));
  ASSERT_EQ(s.shapes.size(), 1'071'875u);
  ASSERT_EQ(s.model.size(), 8u);
  std::vector<std::string> first, last;
  for (const auto& p : s.model) {
    first.push_back(p.values.front());
    last.push_back(p.values.back());
  }
  EXPECT_EQ(s.shapes[0], first);
  EXPECT_EQ(s.shapes[s.shapes.size() - 1], last);
  // Index 1 changes only the last parameter (vision heads), index 7 (its count) the one before it.
  EXPECT_EQ(s.shapes[1][7], s.model[7].values[1]);
  EXPECT_EQ(s.shapes[7][6], s.model[6].values[1]);
  EXPECT_EQ(s.shapes[7][7], s.model[7].values[0]);
}

}  // namespace
}  // namespace catsim::test
