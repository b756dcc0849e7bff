#include "runtime/core/stop_signal.hpp"

#include <cerrno>
#include <cstring>  // sigabbrev_np
#include <stdexcept>
#include <system_error>

namespace admf {

namespace {

constexpr int stop_signals[] = {SIGINT, SIGTERM};

// The flag of the live watcher, and the signals it handles: the handler reads both, so
// they are lock-free atomics.
std::atomic<stop_flag*> watched{nullptr};
std::atomic<bool> handled[2] = {false, false};
static_assert(std::atomic<stop_flag*>::is_always_lock_free && std::atomic<bool>::is_always_lock_free);

/// Only async-signal-safe calls: sigaction and atomic loads and stores.
extern "C" void on_stop_signal(int signo) {
  const int saved_errno = errno;
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int i = 0; i < 2; ++i)
    if (handled[i].load())
      sigaction(stop_signals[i], &dfl, nullptr);
  if (stop_flag* flag = watched.load())
    flag->request(signo);
  errno = saved_errno;
}

}  // namespace

signal_watcher::signal_watcher(stop_flag& flag) {
  stop_flag* none = nullptr;
  if (!watched.compare_exchange_strong(none, &flag))
    throw std::logic_error("signal_watcher: another one is alive");
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  for (int s : stop_signals)  // one handler at a time: the second finds SIG_DFL
    sigaddset(&action.sa_mask, s);
  action.sa_flags = SA_RESTART;  // a read or write elsewhere goes on undisturbed
  for (int i = 0; i < 2; ++i) {
    if (sigaction(stop_signals[i], nullptr, &old_[i]) != 0)
      fail(errno);
    // Ignored at start (a background job of a shell script, nohup): stays ignored.
    if (old_[i].sa_handler == SIG_IGN)
      continue;
    handled[i].store(true);
    if (sigaction(stop_signals[i], &action, nullptr) != 0)
      fail(errno);
  }
}

signal_watcher::~signal_watcher() { restore(); }

void signal_watcher::restore() noexcept {
  for (int i = 0; i < 2; ++i)
    if (handled[i].exchange(false))
      sigaction(stop_signals[i], &old_[i], nullptr);
  watched.store(nullptr);
}

void signal_watcher::fail(int error) {
  restore();
  throw std::system_error(error, std::generic_category(), "installing SIGINT/SIGTERM handlers");
}

std::string signal_name(int signo) {
  if (const char* abbrev = sigabbrev_np(signo))
    return std::string("SIG") + abbrev;
  return "signal " + std::to_string(signo);
}

}  // namespace admf
