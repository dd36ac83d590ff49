#include "search/accuracy_source.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <limits>

#include "arch/config/error.h"
#include "workloads/model_parser.h"
#include "workloads/parameters.h"

namespace catsim {
namespace {

std::vector<Override> shape_overrides(const SearchSpace& s, std::size_t index) {
  std::vector<Override> ov = s.fixed;
  const std::vector<std::string> shape = s.shapes[index];
  for (std::size_t k = 0; k < s.model.size(); ++k) ov.push_back({"model", s.model[k].path.substr(6), shape[k]});
  return ov;
}

std::string fill_placeholders(std::string cmd, const SearchSpace& s, std::size_t index) {
  const std::vector<std::string> shape = s.shapes[index];
  for (std::size_t k = 0; k < s.model.size(); ++k) {
    const std::string tag = "{" + s.model[k].pruning_key() + "}";
    for (auto pos = cmd.find(tag); pos != std::string::npos; pos = cmd.find(tag, pos + 1))
      cmd.replace(pos, tag.size(), shape[k]);
  }
  return cmd;
}

double last_number(const std::string& out, const std::string& command) {
  std::string last;
  std::size_t start = 0;
  while (start < out.size()) {
    const auto nl = out.find('\n', start);
    std::string line = out.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  char* end = nullptr;
  const double v = std::strtod(last.c_str(), &end);
  while (end && *end && std::strchr(" \t\r", *end)) ++end;
  if (last.empty() || !end || *end != '\0' || !std::isfinite(v) || v < 0)
    throw ConfigError({"accuracy.command", 0, 0}, command,
                      "the last line of its output is not a finite non-negative number: '" + last + "'");
  return v;
}

}  // namespace

double run_accuracy_command(const std::string& command, double timeout_s) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe failed: ") + std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    ::setpgid(0, 0);  // its own process group, so a timeout ends the whole command
    ::dup2(fds[1], STDOUT_FILENO);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  ::close(fds[1]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  std::string out;
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration<double>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::min(left * 1000.0, 1000.0)) + 1) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(-pid, SIGKILL);
  // The time limit covers the command's whole life, not only while its output is open (`exec >&-; sleep 3600`).
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, timed_out ? 0 : WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (done == 0 && std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      ::kill(-pid, SIGKILL);
    } else if (done == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  if (timed_out)
    throw ConfigError({"accuracy.command", 0, 0}, command, fmt::format("timed out after {:g} s", timeout_s));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw ConfigError({"accuracy.command", 0, 0}, command,
                      WIFEXITED(status) ? fmt::format("exited with code {}", WEXITSTATUS(status))
                                        : fmt::format("killed by signal {}", WTERMSIG(status)));
  return last_number(out, command);
}

double proxy_accuracy(const SearchSpace& space, std::size_t shape_index) {
  const double base = static_cast<double>(count_parameters(load_model(space.model_file, space.fixed)).total());
  const double kept =
      static_cast<double>(count_parameters(load_model(space.model_file, shape_overrides(space, shape_index))).total());
  return base > 0 ? kept / base : 0.0;
}

AccuracySource::AccuracySource(const SearchSpace& space, std::map<std::string, std::pair<double, std::string>> cached)
    : m_space(space), m_cache(std::move(cached)) {
  if (space.accuracy.source == "table") m_table = load_accuracy_table(space.accuracy.file);
  if (m_table)
    for (const auto& p : space.model)
      if (std::find(m_table->keys.begin(), m_table->keys.end(), p.pruning_key()) == m_table->keys.end())
        throw ConfigError(p.where, p.path, "the accuracy table " + m_table->file + " has no column " + p.pruning_key());
}

std::string AccuracySource::shape_key(std::size_t index) const {
  std::string key;
  const std::vector<std::string> shape = m_space.shapes[index];
  for (std::size_t k = 0; k < m_space.model.size(); ++k)
    key += (k ? ";" : "") + m_space.model[k].pruning_key() + "=" + shape[k];
  return key.empty() ? "base" : key;
}

std::optional<ShapeAccuracy> AccuracySource::of(
    std::size_t index, const std::function<void(const std::string&, const ShapeAccuracy&)>& record) {
  const std::string& src = m_space.accuracy.source;
  if (src == "none") return std::nullopt;
  const std::string key = shape_key(index);
  if (auto it = m_cache.find(key); it != m_cache.end()) return ShapeAccuracy{it->second.first, it->second.second};
  const ShapeAccuracy a = src == "table" ? from_table(index) : src == "command" ? from_command(index) : from_proxy(index);
  m_cache[key] = {a.value, a.source};
  record(key, a);
  return a;
}

ShapeAccuracy AccuracySource::from_table(std::size_t index) {
  const auto& t = *m_table;
  // The table's value for each of its keys: the space's value, or the base model's for keys the space keeps fixed.
  std::vector<std::string> want(t.keys.size());
  const std::vector<std::string> shape = m_space.shapes[index];
  for (std::size_t c = 0; c < t.keys.size(); ++c)
    for (std::size_t k = 0; k < m_space.model.size(); ++k)
      if (m_space.model[k].pruning_key() == t.keys[c]) want[c] = shape[k];
  double best = std::numeric_limits<double>::infinity();
  const AccuracyRow* best_row = nullptr;
  for (const auto& r : t.rows) {
    double d = 0;
    for (std::size_t c = 0; c < want.size(); ++c) {
      if (want[c].empty()) continue;
      const double a = std::stod(want[c]), b = std::stod(r.shape[c]);
      d += std::abs(a - b) / std::max(a, b);
    }
    if (d < best) {
      best = d;
      best_row = &r;
    }
  }
  if (best > 0 && !m_space.accuracy.nearest)
    throw ConfigError({t.file, 0, 0}, shape_key(index),
                      "shape not in the accuracy table (add its measured accuracy, or set accuracy.nearest: true)");
  if (best > 0)
    std::fprintf(stderr, "catsim search: warning: %s: not in %s, using the nearest row's accuracy %g (%s)\n",
                 shape_key(index).c_str(), t.file.c_str(), best_row->accuracy, best_row->source.c_str());
  return {best_row->accuracy, best > 0 ? "table-nearest" : "table"};
}

ShapeAccuracy AccuracySource::from_command(std::size_t index) const {
  return {run_accuracy_command(fill_placeholders(m_space.accuracy.command, m_space, index), m_space.accuracy.timeout_s),
          "command"};
}

ShapeAccuracy AccuracySource::from_proxy(std::size_t index) const { return {proxy_accuracy(m_space, index), "proxy"}; }

}  // namespace catsim
