#pragma once
// `catsim validate`: closed-form estimators (or the user's own per-op numbers) against the cycle-level run,
// per op and in summary, for one arch x model pair or every pair under a directory.

namespace catsim {

int validate_main(int argc, char** argv);

}  // namespace catsim
