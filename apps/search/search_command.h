#pragma once
// `catsim search SPACE.yaml --out DIR`: the co-design search over a space file (see search/).

namespace catsim {

int search_main(int argc, char** argv);

}  // namespace catsim
