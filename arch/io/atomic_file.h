#pragma once
// Whole-or-nothing output files: the bytes go to a temporary file in the target's directory, which is
// flushed, checked and renamed over the target only when every write succeeded (rename is atomic). A target
// that is not a regular file (/dev/null, /dev/full, a FIFO) is written in place, never replaced.

#include <stdexcept>
#include <string>

namespace catsim {

// A failed write of an output (disk full, no permission, ...). The message names the path and the cause;
// the command line reports it on one line with exit code kExitWriteFailed.
class WriteError : public std::runtime_error {
 public:
  explicit WriteError(const std::string& what) : std::runtime_error(what) {}
};

// Writes `text` to `path` atomically; throws WriteError (leaving neither `path` changed nor a temporary
// file behind) on any failure.
void write_file_atomically(const std::string& path, const std::string& text);

// Throws WriteError when `path` could not be written (its directory is missing or not writable, or the
// path is too long): a command that runs for long checks its output before it starts, not after. Creates
// and removes a temporary file beside `path`; leaves `path` itself untouched.
void check_writable(const std::string& path);

// A fresh temporary path beside `path` (same directory, so a rename cannot cross file systems).
std::string temporary_path_beside(const std::string& path);

// Renames a finished temporary file over `path`; throws WriteError (and removes `tmp`) on failure.
void commit_temporary(const std::string& tmp, const std::string& path);

}  // namespace catsim
