// Stopping cleanly on SIGINT / SIGTERM: while a signal_watcher is alive, the first of
// them sets a stop_flag instead of ending the process, and whatever can stop early
// (a run's data feed between batches, a sweep between jobs) polls the flag. A second
// signal meanwhile takes the default action: a stop that hangs can still be ended.
#pragma once
#include <atomic>
#include <csignal>
#include <string>

namespace admf {

/// Set once, by a signal handler or any thread; read from any thread.
class stop_flag {
public:
  /// Records that signal `signo` (> 0) asked to stop; the first request wins.
  /// Async-signal-safe (a lock-free atomic).
  void request(int signo) noexcept {
    int none = 0;
    signal_.compare_exchange_strong(none, signo);
  }
  bool requested() const noexcept { return signal_.load() != 0; }
  /// The signal that asked to stop, 0 while none did.
  int signal() const noexcept { return signal_.load(); }

private:
  static_assert(std::atomic<int>::is_always_lock_free, "the signal handler stores into it");
  std::atomic<int> signal_{0};
};

/// While alive (one at a time per process), SIGINT and SIGTERM set `flag` instead of
/// ending the process, and reset both signals to their default action, so a second
/// one ends the process at once. A signal ignored when the watcher starts (a
/// background job of a script, nohup) stays ignored. The destructor restores the
/// actions found before.
/// Throws std::logic_error when another watcher is alive, std::system_error when the
/// handlers cannot be installed.
class signal_watcher {
public:
  explicit signal_watcher(stop_flag& flag);
  ~signal_watcher();
  signal_watcher(const signal_watcher&) = delete;
  signal_watcher& operator=(const signal_watcher&) = delete;

private:
  void restore() noexcept;
  [[noreturn]] void fail(int error);

  struct sigaction old_[2] {};  // SIGINT's, SIGTERM's
};

/// "SIGINT", "SIGSEGV", ... for a signal with a name, else "signal N" (plugin_call.hpp
/// has an async-signal-safe twin for crash handlers, which may not allocate).
std::string signal_name(int signo);

/// The exit status of a process ended by `signo`, by the shell's convention: 128 + signo
/// (130 for SIGINT, 143 for SIGTERM).
inline int exit_code_of_signal(int signo) { return 128 + signo; }

}  // namespace admf
