// The `catsim` Python module: the library API (api/catsim.h) for notebooks and scripts. Results are the
// command line's --json documents as Python dicts and lists; each simulation runs in a forked child (SystemC
// elaborates once per process) with the GIL released, so a thread pool of calls uses every core; bad input
// raises catsim.Error (a ValueError) with the command line's one-line message and exit code.

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <fstream>
#include <optional>
#include <sstream>

#include "api/catsim.h"
#include "api/output_checks.h"
#include "arch/config/error.h"
#include "arch/io/atomic_file.h"
#include "arch/io/install_paths.h"
#include "search/progress.h"
#include "sim/run/fork_runner.h"

namespace py = pybind11;
namespace fs = std::filesystem;

namespace catsim {
namespace {

PyObject* g_error = nullptr;  // catsim.Error

// Raises catsim.Error(message) with .exit_code: 2 bad input, 1 a failure inside catsim, 4 an unwritten file.
[[noreturn]] void raise_error(const std::string& message, int exit_code) {
  py::object error = py::reinterpret_borrow<py::object>(g_error)(message);
  error.attr("exit_code") = exit_code;
  PyErr_SetObject(g_error, error.ptr());
  throw py::error_already_set();
}

// A design input given as a dict: written as YAML (JSON is YAML) to a private file, and its path in error
// messages replaced by what the caller gave ("arch (dict)").
class InputFile {
 public:
  InputFile(const py::handle& value, const std::string& role) : m_role(role) {
    if (value.is_none()) return;
    if (py::isinstance<py::str>(value)) {
      m_path = value.cast<std::string>();
      return;
    }
    if (!py::isinstance<py::dict>(value)) raise_error(role + ": expected a path, a shipped name or a dict", 2);
    const std::string text = py::module_::import("json").attr("dumps")(value, py::arg("indent") = 1).cast<std::string>();
    char dir[] = "/tmp/catsim-py-XXXXXX";
    if (!::mkdtemp(dir)) raise_error(role + ": cannot create a temporary file for the dict", 1);
    m_dir = dir;
    m_path = m_dir + "/" + role + ".yaml";
    std::ofstream(m_path) << text << "\n";
  }
  ~InputFile() {
    if (m_dir.empty()) return;
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::string& path() const { return m_path; }
  // `message` with this dict's private path (and its line:column, which count lines of the dump) named as
  // the caller knows it.
  std::string readable(std::string message) const {
    if (m_dir.empty()) return message;
    for (std::size_t at; (at = message.find(m_path)) != std::string::npos;) {
      std::size_t end = at + m_path.size();
      while (end < message.size() && (message[end] == ':' || std::isdigit(static_cast<unsigned char>(message[end]))) &&
             !(message[end] == ':' && end + 1 < message.size() && message[end + 1] == ' '))
        ++end;
      message.replace(at, end - at, m_role + " (dict)");
    }
    return message;
  }

 private:
  std::string m_role, m_path, m_dir;
};

// Runs `work` and turns catsim's exceptions into catsim.Error, with dict inputs named as the caller gave them.
template <typename Work>
auto guarded(const std::vector<const InputFile*>& inputs, Work&& work) {
  auto readable = [&](std::string m) {
    for (const InputFile* f : inputs) m = f->readable(std::move(m));
    return m;
  };
  try {
    return work();
  } catch (const py::error_already_set&) {
    throw;
  } catch (const ConfigError& e) {
    raise_error(readable(e.what()), 2);
  } catch (const ChildFailure& e) {
    raise_error(readable(e.what()), e.config ? 2 : 1);
  } catch (const WriteError& e) {
    raise_error(readable(e.what()), 4);
  } catch (const std::exception& e) {
    raise_error(readable(std::string("internal error: ") + e.what()), 1);
  }
}

py::object to_python(const nlohmann::json& j) { return py::module_::import("json").attr("loads")(j.dump()); }

std::vector<std::string> set_list(const std::optional<std::vector<std::string>>& set) {
  return set ? *set : std::vector<std::string>{};
}

// The model's warnings (an ignored HuggingFace key, ...) as Python UserWarnings.
void warn_all(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings)
    if (PyErr_WarnEx(PyExc_UserWarning, w.c_str(), 1) != 0) throw py::error_already_set();
}

// The command line that prints the same document: `catsim ARCH MODEL --json [--set K=V ...] [--fidelity F]
// [--exact-steps] [--trace FILE ...]` (a dict named as "<arch dict>"), recorded as the document's command_line.
std::string equivalent_command(const py::handle& arch, const py::handle& model, const std::vector<std::string>& set,
                               const std::string& fidelity, bool exact_steps, const SimulateRequest& traced) {
  std::vector<std::string> args{"catsim"};
  for (const auto& [value, role] : {std::pair{arch, "arch"}, std::pair{model, "model"}})
    if (!value.is_none()) args.push_back(py::isinstance<py::str>(value) ? value.cast<std::string>() : std::string("<") + role + " dict>");
  args.push_back("--json");
  for (const std::string& s : set) args.insert(args.end(), {"--set", s});
  if (fidelity != "cycle") args.insert(args.end(), {"--fidelity", fidelity});
  if (exact_steps) args.push_back("--exact-steps");
  for (const auto& [flag, value] : {std::pair{"--trace", &traced.trace}, std::pair{"--trace-ops", &traced.trace_ops},
                                    std::pair{"--trace-window", &traced.trace_window}})
    if (!value->empty()) args.insert(args.end(), {flag, *value});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return command_line(static_cast<int>(argv.size()), argv.data());
}

py::object py_simulate(const py::handle& arch, const py::handle& model, std::optional<std::vector<std::string>> set,
                       const std::string& fidelity, bool exact_steps, double timeout_s, std::optional<std::string> trace,
                       std::optional<std::string> trace_ops, std::optional<std::string> trace_window) {
  const InputFile a(arch, "arch"), m(model, "model");
  const std::optional<Fidelity> f = parse_fidelity(fidelity);
  if (!f) raise_error("fidelity: unknown value '" + fidelity + "' (expected cycle, analytic, roofline or sequential)", 2);
  SimulateRequest request;
  request.design = {a.path(), m.path(), set_list(set)};
  request.fidelity = *f;
  request.exact_steps = exact_steps;
  request.trace = trace.value_or("");
  request.trace_ops = trace_ops.value_or("");
  request.trace_window = trace_window.value_or("");
  request.command_line = equivalent_command(arch, model, request.design.set, fidelity, exact_steps, request);
  const SimulateResult r = guarded({&a, &m}, [&] {
    py::gil_scoped_release free;
    return simulate_in_child(request, timeout_s);
  });
  warn_all(r.warnings);
  return to_python(r.document);
}

py::object py_info(const py::handle& file, std::optional<std::vector<std::string>> set) {
  const InputFile in(file, "file");
  const nlohmann::json doc = guarded({&in}, [&] {
    const InfoSubject s = load_info_subject(in.path(), set_list(set));
    if (s.model) warn_all(s.model->warnings);
    return info_document(s);
  });
  return to_python(doc);
}

py::object py_validate(const py::handle& arch, const py::handle& model, const std::string& analytic,
                    std::optional<std::string> against, std::optional<std::vector<std::string>> set, double timeout_s) {
  const InputFile a(arch, "arch"), m(model, "model");
  std::vector<Estimator> estimators;
  if (analytic == "all") estimators = {Estimator::roofline, Estimator::sequential};
  else if (const auto e = parse_estimator(analytic)) estimators = {*e};
  else if (!(analytic == "none" && against)) raise_error("analytic: unknown estimator '" + analytic + "' (expected roofline, sequential or all)", 2);
  const DesignInputs design{a.path(), m.path(), set_list(set)};
  const std::string against_file = against.value_or("");
  const std::string payload = guarded({&a, &m}, [&] {
    py::gil_scoped_release free;
    const ChildOutcome c = run_in_child(
        [&] {
          const Design d = load_design(design);
          const nlohmann::json j = validation_json(d.arch.name, d.model.name, validate_pair(d.arch, d.model, estimators, against_file));
          require_finite_output(j, "validation", {"error", "energy_error", "total_error", "total_energy_error"});
          return j.dump();
        },
        timeout_s);
    if (!c.ok) throw ChildFailure(c.error.empty() ? "the validation failed" : c.error, c.config_error());
    return c.payload;
  });
  return py::module_::import("json").attr("loads")(payload);
}

// A sweep's rows as its points finish: an iterator of dicts (the rows of `catsim sweep --json`, in completion
// order), the workers running while the caller consumes it, progress on stderr when asked; len() is the
// number of points. Dict inputs stay on disk as long as the workers may read them.
class SweepRows {
 public:
  SweepRows(const py::handle& arch, const py::handle& model, SweepRequest request, bool progress)
      : m_arch(std::make_unique<InputFile>(arch, "arch")),
        m_model(std::make_unique<InputFile>(model, "model")),
        m_line(progress, ::isatty(STDERR_FILENO) != 0, 10, "sweep") {
    request.design.arch = m_arch->path(), request.design.model = m_model->path();
    guarded({m_arch.get(), m_model.get()}, [&] {
      m_sweep = std::make_unique<Sweep>(request);
      m_stream = std::make_unique<Sweep::Stream>(*m_sweep);
    });
    m_state.total = static_cast<std::int64_t>(m_sweep->points());
    m_state.has_front = false;
  }

  std::size_t size() const { return static_cast<std::size_t>(m_sweep->points()); }

  py::object next() {
    std::optional<std::pair<std::uint64_t, PointResult>> done;
    {
      py::gil_scoped_release free;
      done = m_stream->next();
      if (done) {
        ++m_state.done, ++m_state.evaluated_now;
        m_state.feasible += done->second.status == "ok" ? 1 : 0;
        if (m_line.due()) m_line.print(m_state);
      } else if (!m_finished) {
        m_line.finish(m_state);
      }
    }
    if (!done) {
      m_finished = true;
      throw py::stop_iteration();
    }
    return to_python(m_sweep->row(done->first, done->second));
  }

 private:
  std::unique_ptr<InputFile> m_arch, m_model;
  std::unique_ptr<Sweep> m_sweep;  // before the stream, which runs its jobs
  std::unique_ptr<Sweep::Stream> m_stream;
  Progress m_line;
  ProgressState m_state;
  bool m_finished = false;
};

std::unique_ptr<SweepRows> py_sweep(const py::handle& arch, const py::handle& model, const py::dict& vary,
                                    std::optional<std::vector<std::string>> set, int workers, double timeout_s,
                                    bool progress, const std::string& fidelity) {
  SweepRequest request;
  request.design.set = set_list(set);
  for (const auto& [key, values] : vary) {
    std::string text;
    if (py::isinstance<py::str>(values)) {
      text = values.cast<std::string>();
    } else {
      for (const py::handle v : values) text += (text.empty() ? "" : ",") + py::str(v).cast<std::string>();
    }
    request.vary.push_back(py::str(key).cast<std::string>() + "=" + text);
  }
  request.workers = workers;
  request.timeout_s = timeout_s;
  const std::optional<Fidelity> f = parse_fidelity(fidelity);
  if (!f) raise_error("fidelity: unknown value '" + fidelity + "' (expected cycle, analytic, roofline or sequential)", 2);
  request.fidelity = *f;
  return std::make_unique<SweepRows>(arch, model, std::move(request), progress);
}

// `catsim search SPACE --out OUT ...` in catsim-search (the program that links the optimizers), with the
// GIL released while it runs; its pareto.json as a dict. Its stderr is read through a pipe: passed on as
// progress when asked, and its last line is the message of the catsim.Error a failure raises.
py::object py_search(const py::handle& space, const std::string& out, std::optional<std::string> metric, bool resume,
                     std::optional<int> workers, bool progress) {
  const InputFile file(space, "space");
  std::vector<std::string> args{"catsim", "search", file.path(), "--out", out};
  if (metric) args.insert(args.end(), {"--metric", *metric});
  if (resume) args.push_back("--resume");
  if (workers) args.insert(args.end(), {"--workers", std::to_string(*workers)});
  if (!progress) args.push_back("--quiet");
  const std::string program = guarded({&file}, [] { return installed_part("catsim-search", "libexec/catsim").string(); });
  std::string err;
  int status = 0;
  {
    py::gil_scoped_release free;
    int pipe_fd[2];
    if (::pipe(pipe_fd) != 0) status = -1;
    const pid_t pid = status == 0 ? ::fork() : -1;
    if (pid == 0) {
      ::close(pipe_fd[0]);
      ::dup2(pipe_fd[1], STDERR_FILENO);
      const int null = ::open("/dev/null", O_WRONLY);
      if (null >= 0) ::dup2(null, STDOUT_FILENO);  // the summary line: the result is the return value
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    if (pid > 0) {
      ::close(pipe_fd[1]);
      char buf[4096];
      for (ssize_t n; (n = ::read(pipe_fd[0], buf, sizeof buf)) != 0;)
        if (n > 0) {
          err.append(buf, static_cast<std::size_t>(n));
          if (progress && ::write(STDERR_FILENO, buf, static_cast<std::size_t>(n)) < 0) progress = false;
        } else if (errno != EINTR) {
          break;
        }
      ::close(pipe_fd[0]);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
  if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    while (!err.empty() && err.back() == '\n') err.pop_back();
    const std::string last = err.substr(err.rfind('\n') == std::string::npos ? 0 : err.rfind('\n') + 1);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    raise_error(file.readable(last.empty() ? "catsim search failed (" + program + ")" : last), code == 0 ? 1 : code);
  }
  std::ifstream in(fs::path(out) / "pareto.json");
  std::stringstream text;
  text << in.rdbuf();
  return py::module_::import("json").attr("loads")(text.str());
}

// The catsim command beside which this module was built (build/TYPE/python/../catsim) or installed
// (PREFIX/lib/python3/dist-packages/../../../bin/catsim): where catsim's data and parts are found.
void find_home() {
  Dl_info self{};
  if (!::dladdr(reinterpret_cast<void*>(&find_home), &self) || !self.dli_fname) return;
  const fs::path dir = fs::absolute(self.dli_fname).parent_path();
  for (const fs::path& exe : {dir / ".." / "catsim", dir / ".." / ".." / ".." / "bin" / "catsim"}) {
    std::error_code ec;
    if (fs::exists(exe, ec)) {
      set_executable_path(exe);
      return;
    }
  }
}

}  // namespace
}  // namespace catsim

PYBIND11_MODULE(catsim, m) {
  using namespace catsim;
  m.doc() = "catsim: cycle-level transformer accelerator simulation with energy, area and carbon";
  find_home();
  g_error = PyErr_NewExceptionWithDoc(
      "catsim.Error",
      "Bad input or a failed run: the command line's one-line message; .exit_code is its exit code "
      "(2 bad input, 1 a failure inside catsim, 4 an output not written).",
      PyExc_ValueError, nullptr);
  m.attr("Error") = py::reinterpret_borrow<py::object>(g_error);
  m.def("version", &catsim_version, "catsim's version (as catsim --version prints it).");
  m.def("simulate", &py_simulate, py::arg("arch"), py::arg("model") = py::none(), py::arg("set") = py::none(),
        py::arg("fidelity") = "cycle", py::arg("exact_steps") = false, py::arg("timeout") = 3600.0,
        py::arg("trace") = py::none(), py::arg("trace_ops") = py::none(), py::arg("trace_window") = py::none(),
        "Simulates MODEL on ARCH (each a path, a shipped name or a dict in the YAML schema; ARCH alone: a "
        "--dump-config file) and returns the document `catsim ARCH MODEL --json` prints. set: ['arch.KEY=V', "
        "'model.KEY=V', ...]; fidelity: cycle, analytic (= roofline) or sequential; trace: a Chrome/Perfetto trace "
        "file (trace_ops: a regular expression of op names, trace_window: 'START:END' cycles), as --trace.");
  m.def("info", &py_info, py::arg("file"), py::arg("set") = py::none(),
        "The document `catsim info FILE --json` prints, for a model or an arch (a path, a shipped name or a dict).");
  m.def("validate", &py_validate, py::arg("arch"), py::arg("model"), py::arg("analytic") = "all",
        py::arg("against") = py::none(), py::arg("set") = py::none(), py::arg("timeout") = 3600.0,
        "The document `catsim validate ARCH MODEL --json` prints: analytic estimates (roofline, sequential, all; "
        "'none' with against) and your own per-op CSV (against) compared with the cycle-level run.");
  m.def("search", &py_search, py::arg("space"), py::arg("out"), py::arg("metric") = py::none(),
        py::arg("resume") = false, py::arg("workers") = py::none(), py::arg("progress") = true,
        "Runs `catsim search SPACE --out OUT` (SPACE a path or a dict in the space schema) and returns its "
        "pareto.json; OUT also holds archive.sqlite, all.csv and pareto.csv.");
  py::class_<SweepRows>(m, "SweepRows", "The rows of a sweep as its points finish (an iterator; len(): points).")
      .def("__iter__", [](SweepRows& rows) -> SweepRows& { return rows; })
      .def("__next__", &SweepRows::next)
      .def("__len__", &SweepRows::size);
  m.def("sweep", &py_sweep, py::arg("arch"), py::arg("model"), py::arg("vary"), py::arg("set") = py::none(),
        py::arg("workers") = 0, py::arg("timeout") = 300.0, py::arg("progress") = true, py::arg("fidelity") = "cycle",
        "Every point of the cross product of vary ({'arch.sram.kib': [128, 256], 'arch.cores': '1:4'}), in "
        "worker processes: an iterator of the rows `catsim sweep --json` prints, each as its point finishes "
        "(completion order); progress on stderr.");
}
