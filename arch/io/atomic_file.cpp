#include "arch/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace catsim {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& tmp, int err) {
  if (!tmp.empty()) std::remove(tmp.c_str());
  throw WriteError(path + ": cannot write: " + std::strerror(err));
}

}  // namespace

std::string temporary_path_beside(const std::string& path) {
  return path + ".tmp." + std::to_string(::getpid());
}

void commit_temporary(const std::string& tmp, const std::string& path) {
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail(path, tmp, errno);
}

void check_writable(const std::string& path) {
  const std::string tmp = temporary_path_beside(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "", errno);
  ::close(fd);
  std::remove(tmp.c_str());
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = temporary_path_beside(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "", errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      fail(path, tmp, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 && errno != EINVAL) {
    const int err = errno;
    ::close(fd);
    fail(path, tmp, err);
  }
  if (::close(fd) != 0) fail(path, tmp, errno);
  commit_temporary(tmp, path);
}

}  // namespace catsim
