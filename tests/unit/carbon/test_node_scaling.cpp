// Stillmaker-Baas factors: the listed points, the log-log interpolation for 28/22/40 nm, monotonicity.
#include <gtest/gtest.h>

#include <cmath>

#include "carbon/tech/tech_data.h"

namespace catsim {
namespace {

const NodeScaling& scaling() {
  return TechData::shared()->scaling();
}

TEST(NodeScaling, ListedPointsAreReturnedAsIs) {
  EXPECT_DOUBLE_EQ(scaling().energy(45), 1.0);
  EXPECT_DOUBLE_EQ(scaling().energy(7), 0.0943);
  EXPECT_DOUBLE_EQ(scaling().area(16), 0.19);
  EXPECT_DOUBLE_EQ(scaling().factor(Scaling::none, 7), 1.0);
  // leakage per mm2 goes as energy/area: 0.0943 / 0.059 = 1.5983 at 7 nm
  EXPECT_NEAR(scaling().factor(Scaling::leak_density, 7), 1.5983, 1e-4);
}

TEST(NodeScaling, InterpolatesLogLogBetweenNeighbours) {
  // 22 nm between 32 (0.659) and 20 (0.221): w = ln(22/32)/ln(20/32) = 0.79722,
  // exp(ln 0.659 + w (ln 0.221 - ln 0.659)) = 0.27581
  double w = std::log(22.0 / 32) / std::log(20.0 / 32);
  EXPECT_NEAR(scaling().energy(22), std::exp(std::log(0.659) + w * (std::log(0.221) - std::log(0.659))),
              1e-12);
  EXPECT_NEAR(scaling().energy(22), 0.2758, 1e-4);
  EXPECT_NEAR(scaling().area(22), 0.2462, 1e-4);
  EXPECT_NEAR(scaling().energy(28), 0.4831, 1e-4);
  EXPECT_NEAR(scaling().area(28), 0.3681, 1e-4);
  EXPECT_NEAR(scaling().energy(40), 0.8658, 1e-4);  // Aladdin's node
  EXPECT_NEAR(scaling().area(40), 0.7647, 1e-4);
}

TEST(NodeScaling, FactorsDecreaseStrictlyWithNode) {
  const auto& nodes = scaling().supported_nodes();
  ASSERT_EQ(nodes.size(), 11u);
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    ASSERT_LT(nodes[i], nodes[i - 1]);
    EXPECT_LT(scaling().energy(nodes[i]), scaling().energy(nodes[i - 1])) << nodes[i] << " nm";
    EXPECT_LT(scaling().area(nodes[i]), scaling().area(nodes[i - 1])) << nodes[i] << " nm";
  }
}

TEST(NodeScaling, CarryMovesAFigureBetweenNodes) {
  // 0.009 pJ at 40 nm -> 45 nm: 0.009 / 0.86582 = 0.010395
  EXPECT_NEAR(scaling().carry(Scaling::energy, 0.009, 40, 45), 0.010395, 1e-6);
  EXPECT_THROW(scaling().energy(2), std::out_of_range);
  EXPECT_EQ(scaling().supported_list(), "45|32|28|22|20|16|14|10|7|5|3");
}

}  // namespace
}  // namespace catsim
