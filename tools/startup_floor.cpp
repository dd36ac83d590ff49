// The start-up floor of a C++ program on this machine: links the C++ runtime as catsim does and prints one
// line, nothing more. scripts/startup_bench.py runs it beside `catsim --version`, so a reader can tell the
// machine's own process cost (loader, libstdc++ relocations, page faults) from catsim's.

#include <iostream>

int main() {
  std::cout << "startup floor\n";
  return 0;
}
