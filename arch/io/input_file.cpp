#include "arch/io/input_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "arch/config/error.h"

namespace catsim {

std::string read_input_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (st.type() == fs::file_type::not_found) throw ConfigError({path, 0, 0}, "", "cannot open file (no such file)");
  if (ec) throw ConfigError({path, 0, 0}, "", "cannot open file (" + ec.message() + ")");  // a name too long, ...
  if (fs::is_directory(st)) throw ConfigError({path, 0, 0}, "", "is a directory (expected a regular file)");
  if (!fs::is_regular_file(st)) throw ConfigError({path, 0, 0}, "", "is not a regular file (expected a regular file)");
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw ConfigError({path, 0, 0}, "", "cannot read the file size: " + ec.message());
  if (size > kMaxInputFileBytes)
    throw ConfigError({path, 0, 0}, "",
                      "file of " + std::to_string(size) + " bytes is too large (expected at most 16 MiB)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({path, 0, 0}, "", "cannot open file");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw ConfigError({path, 0, 0}, "", "read error");
  std::string text = buf.str();
  if (text.size() > kMaxInputFileBytes)
    throw ConfigError({path, 0, 0}, "", "file grew beyond 16 MiB while reading (expected a regular file)");
  return text;
}

}  // namespace catsim
