#include "apps/lib/search_handover.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "api/output_checks.h"
#include "arch/io/install_paths.h"

namespace catsim {

int hand_over_search(int argc, char** argv) {
  const std::string program = installed_part("catsim-search", "libexec/catsim").string();
  std::vector<char*> args;
  args.push_back(const_cast<char*>("catsim"));
  for (int i = 0; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  std::fflush(nullptr);
  ::execv(program.c_str(), args.data());
  std::fprintf(stderr, "catsim: cannot run %s: %s\n", program.c_str(), std::strerror(errno));
  return kExitInternal;
}

}  // namespace catsim
