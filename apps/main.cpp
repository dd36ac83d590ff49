#include "apps/lib/cli.h"
#include "apps/lib/search_handover.h"

int main(int argc, char** argv) { return catsim::run_cli(argc, argv, catsim::hand_over_search); }
