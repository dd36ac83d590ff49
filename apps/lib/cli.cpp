#include "apps/lib/cli.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <cerrno>
#include <filesystem>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <span>
#include <string_view>
#include <utility>

#include "api/info.h"
#include "workloads/onnx_loader.h"
#include "api/run_metadata.h"
#include "api/output_checks.h"
#include "apps/lib/parse_error.h"
#include "arch/checked_math.h"
#include "arch/io/atomic_file.h"
#include "api/flag_params.h"
#include "api/scalesim_params.h"
#include "carbon/data_params.h"
#include "carbon/report.h"
#include "apps/lib/simulate_command.h"
#include "apps/lib/sweep_command.h"
#include "apps/lib/validate_command.h"
#include "api/input_files.h"
#include "apps/lib/flag_check.h"
#include "apps/lib/scalesim_command.h"
#include "arch/config/config_node.h"
#include "arch/config/error.h"
#include "arch/arch_parser.h"
#include "arch/arch_params.h"
#include "arch/config/param_reference.h"
#include "workloads/model_params.h"
#include "search/space_params.h"
#include "workloads/model_parser.h"

namespace catsim {
namespace {

int info_main(int argc, char** argv) {
  CLI::App app{"catsim info: parameters, MACs, KV-cache bytes and the operator graph of a model", "catsim info"};
  std::string model_file;
  bool json = false;
  std::vector<std::string> sets;
  app.add_option("file", model_file, "model.yaml, a HuggingFace config.json, or arch.yaml")->required();
  bool list_unsupported = false;
  app.add_flag("--json", json, "print JSON instead of tables");
  app.add_flag("--list-unsupported", list_unsupported,
               "for an ONNX graph: name every node catsim cannot lower, one per line (exit 2 when there are any)");
  app.add_option("--set", sets, "override a key: model.KEY.PATH=VALUE, or arch.KEY.PATH=VALUE for an arch (repeatable)");
  if (const std::optional<int> code =
          parse_command_line(app, argc, argv, "catsim info MODEL|ARCH [--json] [--set K=V ...]; see catsim info --help"))
    return *code;
  if (list_unsupported) {
    try {
      (void)load_info_subject(model_file, sets);
    } catch (const UnsupportedOnnxNodes& e) {
      for (const std::string& line : e.nodes()) std::fprintf(stderr, "%s\n", line.c_str());
      return kExitBadInput;
    }
    std::printf("%s: every node is supported\n", model_file.c_str());
    return 0;
  }
  const InfoSubject subject = load_info_subject(model_file, sets);
  if (subject.model)
    for (const auto& w : subject.model->warnings) std::fprintf(stderr, "%s\n", w.c_str());
  const nlohmann::json doc = info_document(subject);
  std::cout << (json ? doc.dump(2) + "\n" : info_text(subject));
  return 0;
}

int usage(int code) {
  std::fprintf(code == 0 ? stdout : stderr,
               "usage: catsim ARCH.yaml MODEL [--json|--csv] [--set arch.K=V|model.K=V ...] [--outdir DIR]\n"
               "                              [--trace out.json|- [--trace-ops REGEX] [--trace-window START:END]]\n"
               "                              [--precisions fp32,fp16,int8,int4] [--detail pe [--vcd out.vcd]]\n"
               "                              [--dump-config] [--exact-steps] [--fidelity cycle|analytic|sequential]\n"
               "       catsim RESOLVED.yaml [options]      re-run a file written by --dump-config\n"
               "       catsim info MODEL|ARCH [--json] [--set model.K=V | arch.K=V ...]\n"
               "       catsim search SPACE.yaml --out DIR [--metric M] [--resume|--export] [--workers N] [--quiet]\n"
               "       catsim sweep ARCH.yaml MODEL --vary KEY=a,b,c|lo:hi[:step] ... [--json] [--out FILE]\n"
               "       catsim validate ARCH MODEL [--analytic roofline|sequential|all] [--against FILE.csv]\n"
               "                       [--json] [--tolerance X] | catsim validate --suite DIR [--csv|--json]\n"
               "       catsim scalesim CONFIG.cfg TOPOLOGY.csv --outdir DIR   SCALE-Sim v2 inputs and reports\n"
               "       catsim help | -h | --help           this summary\n"
               "       catsim help COMMAND                 every option of info, search, sweep, validate or scalesim\n"
               "       catsim help arch|model|space        every key of that file: unit, range, default, meaning\n"
               "       catsim help data                    every key of the shipped tech and region tables\n"
               "       catsim help cfg                     every key catsim reads from a SCALE-Sim .cfg\n"
               "       catsim help flags                   every numeric flag of every command: unit, range\n"
               "       catsim --version\n"
               "       catsim ARCH.yaml MODEL --help       every option of a simulation\n"
               "       catsim info --help                  every option of info\n"
               "MODEL is a model.yaml, a HuggingFace config.json or a SCALE-Sim topology .csv. Exit codes: 0 ok, 2 bad input, 1 internal error,\n"
               "3 validate: a MAPE above --tolerance, 4 output not written.\n");
  return code;
}

constexpr const char* kCommands[] = {"info", "search", "sweep", "validate", "scalesim"};

// `catsim help search`: that command's own --help.
int help_of(const std::string& topic, CommandMain search) {
  std::string command = topic, flag = "--help";  // as dispatch passes them: the command word, then its flags
  char* args[] = {command.data(), flag.data(), nullptr};
  if (topic == "info") return info_main(2, args);
  if (topic == "search") return search(2, args);
  if (topic == "sweep") return sweep_main(2, args);
  if (topic == "validate") return validate_main(2, args);
  if (topic == "scalesim") return scalesim_main(2, args);
  if (topic == "simulate" || topic == "run") return usage(0);
  const std::pair<std::string_view, std::span<const Param>> references[] = {
      {"arch", arch_params()}, {"model", model_params()},     {"space", space_params()},
      {"data", data_params()}, {"cfg", scalesim_params()}, {"flags", flag_params()}};
  for (const auto& [name, params] : references)
    if (topic == name) {
      std::fputs(param_reference_table(params).c_str(), stdout);
      return 0;
    }
  throw ConfigError({"command line", 0, 0}, "help",
                    "no command '" + topic + "' (expected one of info, search, sweep, validate, scalesim, simulate, or arch, model, "
                    "space, data, cfg or flags for a reference)");
}

// `catsim serach s.yaml`: a first word that is no file or shipped arch but is one letter or two from a
// command is a mistyped command, not an arch file to be read.
void reject_mistyped_command(const std::string& word) {
  if (word.empty() || word[0] == '-' || word.find_first_of("./") != std::string::npos) return;
  std::error_code ec;  // a name too long for a file is no file
  if (std::filesystem::exists(word, ec) || std::filesystem::exists(shipped_or_path(word, {"arch"}), ec)) return;
  const std::string near = closest_match(word, {std::begin(kCommands), std::end(kCommands)});
  if (!near.empty())
    throw ConfigError({"command line", 0, 0}, "",
                      "'" + word + "' is not a command (did you mean 'catsim " + near + "'? see catsim --help)");
}

int dispatch(int argc, char** argv, CommandMain search) {
  if (argc < 2) {
    std::fprintf(stderr, "catsim: command line: missing ARCH and MODEL (usage: catsim ARCH.yaml MODEL, catsim info FILE; see catsim --help)\n");
    return kExitBadInput;
  }
  std::string cmd = argv[1];
  if ((cmd == "help" || cmd == "-h" || cmd == "--help") && argc >= 3) return help_of(argv[2], search);
  if (cmd == "-h" || cmd == "--help" || cmd == "help") return usage(0);
  if (cmd == "--version" || cmd == "-V") {
    std::printf("catsim %s\ndata   %s\n", catsim_version().c_str(), data_dir_description().c_str());
    return 0;
  }
  if (cmd == "info") return info_main(argc - 1, argv + 1);
  if (cmd == "search") return search(argc - 1, argv + 1);
  if (cmd == "sweep") return sweep_main(argc - 1, argv + 1);
  if (cmd == "validate") return validate_main(argc - 1, argv + 1);
  if (cmd == "scalesim") return scalesim_main(argc - 1, argv + 1);
  reject_mistyped_command(cmd);
  return simulate_main(argc, argv);
}

}  // namespace

// An error message as one printable line: control characters and Unicode line separators a user's file
// may carry into a quoted value (a tab, \x1d, U+2028) are written as \xNN or \u2028.
static std::string printable(std::string_view message) {
  std::string out;
  for (std::size_t i = 0; i < message.size(); ++i) {
    const auto c = static_cast<unsigned char>(message[i]);
    if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else if (c == 0xc2 && i + 1 < message.size() && static_cast<unsigned char>(message[i + 1]) == 0x85) {
      out += "\\u0085", ++i;
    } else if (c == 0xe2 && i + 2 < message.size() && static_cast<unsigned char>(message[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(message[i + 2]) == 0xa8 || static_cast<unsigned char>(message[i + 2]) == 0xa9)) {
      out += static_cast<unsigned char>(message[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029", i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

int run_cli(int argc, char** argv, CommandMain search) {
  // A closed pipe or a file-size limit makes the write fail (EPIPE, EFBIG) instead of killing the process:
  // the writer then removes its temporary file and catsim exits 4 with one line.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    const int code = dispatch(argc, argv, search);
    if (!flush_stdout()) {
      std::fprintf(stderr, "catsim: standard output: cannot write: %s\n", std::strerror(errno));
      return kExitWriteFailed;
    }
    return code;
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "%s\n", printable(e.what()).c_str());
    return kExitBadInput;
  } catch (const OverflowError& e) {
    std::fprintf(stderr, "catsim: input too large: %s\n", printable(e.what()).c_str());
    return kExitBadInput;
  } catch (const WriteError& e) {
    std::fprintf(stderr, "catsim: %s\n", printable(e.what()).c_str());
    return kExitWriteFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "catsim: internal error: %s\n", printable(e.what()).c_str());
    return kExitInternal;
  }
}

}  // namespace catsim
