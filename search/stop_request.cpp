#include "search/stop_request.h"

#include <csignal>

namespace catsim {
namespace {

volatile std::sig_atomic_t g_signal = 0;
constexpr int kStopSignals[] = {SIGINT, SIGTERM};

extern "C" void on_stop_signal(int sig) {
  if (g_signal != 0) {  // the second: stop now, as the signal's default would have
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  g_signal = sig;
}

}  // namespace

StopOnSignal::StopOnSignal() {
  g_signal = 0;
  struct ::sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  for (int i = 0; i < 2; ++i) {
    ::sigaction(kStopSignals[i], nullptr, &m_previous[i]);
    // A signal ignored from the start (SIGINT of a job a shell started in the background) stays ignored.
    if (m_previous[i].sa_handler != SIG_IGN) ::sigaction(kStopSignals[i], &action, nullptr);
  }
}

StopOnSignal::~StopOnSignal() {
  for (int i = 0; i < 2; ++i) ::sigaction(kStopSignals[i], &m_previous[i], nullptr);
}

int stop_signal() { return g_signal; }

}  // namespace catsim
