#include "apps/lib/cli.h"

int main(int argc, char** argv) { return catsim::run_cli(argc, argv); }
