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
    return one_line(s.append(what));
  }

  // Control characters (a newline or NUL quoted from the input by a parser) are written as \n, \xNN, so
  // the message stays one printable line.
  static std::string one_line(const std::string& text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x20 && u != 0x7f) {
        out.push_back(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\t') {
        out.append("\\t");
      } else {
        out.append("\\x");
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 15]);
      }
    }
    return out;
  }

  SourceLocation m_where;
  std::string m_key;
  std::string m_what;
};

}  // namespace catsim
