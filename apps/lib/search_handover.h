#pragma once
// `catsim search` in the catsim binary: hands the command to catsim-search, the program that links the
// optimizers (pagmo, TBB). catsim itself then starts without their load-time work, which every other
// command would otherwise pay.

namespace catsim {

// Replaces this process with catsim-search running `catsim search ARGS` (argv from "search" on); returns
// only when that fails (exit code 1, with one line naming the program).
int hand_over_search(int argc, char** argv);

}  // namespace catsim
