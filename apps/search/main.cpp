#include "apps/lib/cli.h"
#include "apps/search/search_command.h"

// catsim-search: the whole command line with the search linked in; catsim hands `catsim search` to it.
int main(int argc, char** argv) { return catsim::run_cli(argc, argv, catsim::search_main); }
