// libsystemc's own main() refers to sc_main, so every program linking SystemC needs the symbol. catsim has
// its own main() and drives SystemC through simulate(); this entry point is never called. CMake compiles
// this file into each program (CATSIM_SC_MAIN_SOURCE) rather than into the library archive, so programs
// that never call simulate() still link. Exported (default visibility) so that libsystemc finds it in a
// shared object built with hidden symbols, such as the Python module.
extern "C" __attribute__((visibility("default"))) int sc_main(int, char*[]) { return 1; }
