#pragma once
// The one exception type for bad user input: it carries where (file, line, column) and which key,
// so the command line can print `file:line:col: key: what (expected ...)` and exit with code 2.

#include <stdexcept>
#include <string>
#include <string_view>

namespace catsim {

struct SourceLocation {
  std::string file;  // file name as the user gave it, or "--set" for command-line overrides
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

class ConfigError : public std::runtime_error {
 public:
  ConfigError(SourceLocation where, std::string key, std::string what)
      : std::runtime_error(format(where, key, what)),
        m_where(std::move(where)),
        m_key(std::move(key)),
        m_what(std::move(what)) {}

  const SourceLocation& where() const { return m_where; }
  const std::string& key() const { return m_key; }
  const std::string& problem() const { return m_what; }

 private:
  static std::string format(const SourceLocation& w, const std::string& key, const std::string& what) {
    std::string s;
    s.append(w.file.empty() ? std::string_view("<input>") : std::string_view(w.file));
    if (w.line > 0) s.append(":").append(std::to_string(w.line)).append(":").append(std::to_string(w.column));
    s.append(": ");
    if (!key.empty()) s.append(key).append(": ");
    return s.append(what);
  }

  SourceLocation m_where;
  std::string m_key;
  std::string m_what;
};

}  // namespace catsim
