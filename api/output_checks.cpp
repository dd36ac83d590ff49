#include "api/output_checks.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <stdexcept>

namespace catsim {
namespace {

void check(const nlohmann::json& j, const std::string& path, const std::string& what,
           const std::set<std::string>& signed_keys, bool may_be_negative) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) check(v, path + "." + k, what, signed_keys, signed_keys.count(k) > 0);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      check(j[i], path + "[" + std::to_string(i) + "]", what, signed_keys, may_be_negative);
  } else if (j.is_number_float()) {
    const double v = j.get<double>();
    if (!std::isfinite(v) || (v < 0 && !may_be_negative))
      throw std::logic_error(what + ": " + path.substr(path.empty() ? 0 : 1) + " is " + std::to_string(v) +
                             " (every reported number must be finite and non-negative)");
  } else if (j.is_number_integer() && !j.is_number_unsigned() && j.get<std::int64_t>() < 0) {
    throw std::logic_error(what + ": " + path.substr(path.empty() ? 0 : 1) + " is negative");
  }
}

}  // namespace

void require_finite_output(const nlohmann::json& j, const std::string& what,
                           const std::set<std::string>& signed_keys) {
  check(j, "", what, signed_keys, false);
}

bool flush_stdout() {
  std::cout.flush();
  const bool stream_ok = static_cast<bool>(std::cout);
  const bool flushed = std::fflush(stdout) == 0;
  return stream_ok && flushed && !std::ferror(stdout);
}

}  // namespace catsim
