#pragma once
// `catsim sweep ARCH MODEL --vary KEY=VALUES ...`: the cross product of the varied keys, each point
// simulated in a forked worker of the search's pool, one summary row per point as CSV or JSON.

namespace catsim {

int sweep_main(int argc, char** argv);

}  // namespace catsim
