#include "arch/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
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

// Whether `path` names something that is not a regular file (a device such as /dev/null or /dev/full, a
// FIFO, a terminal): written in place, never replaced by a rename.
bool special_target(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

// Writes `n` bytes to `fd` whole; the errno of the first failure, or 0.
int write_all(int fd, const char* data, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t w = ::write(fd, data + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return w < 0 ? errno : EIO;
    done += static_cast<std::size_t>(w);
  }
  return 0;
}

// `text` written into the existing special file `path`.
void write_in_place(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail(path, "", errno);
  const int err = write_all(fd, text.data(), text.size());
  if (::close(fd) != 0 && err == 0) fail(path, "", errno);
  if (err != 0) fail(path, "", err);
}

}  // namespace

std::string temporary_path_beside(const std::string& path) {
  return path + ".tmp." + std::to_string(::getpid());
}

void commit_temporary(const std::string& tmp, const std::string& path) {
  if (special_target(path)) {  // a device or FIFO: its content goes in, piece by piece; the node itself stays
    const int in = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) fail(path, tmp, errno);
    const int out = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    int err = out < 0 ? errno : 0;
    char buf[1 << 16];
    for (ssize_t n; err == 0 && (n = ::read(in, buf, sizeof buf)) != 0;)
      err = n < 0 ? (errno == EINTR ? 0 : errno) : write_all(out, buf, static_cast<std::size_t>(n));
    ::close(in);
    if (out >= 0 && ::close(out) != 0 && err == 0) err = errno;
    if (err != 0) fail(path, tmp, err);
    std::remove(tmp.c_str());
    return;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail(path, tmp, errno);
}

void check_writable(const std::string& path) {
  if (special_target(path)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) fail(path, "", errno);
    ::close(fd);
    return;
  }
  const std::string tmp = temporary_path_beside(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "", errno);
  ::close(fd);
  std::remove(tmp.c_str());
}

void write_file_atomically(const std::string& path, const std::string& text) {
  if (special_target(path)) return write_in_place(path, text);
  const std::string tmp = temporary_path_beside(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "", errno);
  if (const int err = write_all(fd, text.data(), text.size()); err != 0) {
    ::close(fd);
    fail(path, tmp, err);
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
