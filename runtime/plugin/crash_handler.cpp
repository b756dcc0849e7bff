#include "runtime/plugin/crash_handler.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>

#include "runtime/plugin/plugin_call.hpp"

namespace admf {

namespace {

constexpr int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

std::atomic<int> report_fd{-1};
struct sigaction previous[sizeof crash_signals / sizeof crash_signals[0]];

void write_all(int fd, const char* text, std::size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, text, size);
    if (n < 0)
      return;
    text += n;
    size -= static_cast<std::size_t>(n);
  }
}

/// The action in place before ours for `signal`.
const struct sigaction* previous_for(int signal) {
  for (std::size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; ++i)
    if (crash_signals[i] == signal)
      return &previous[i];
  return nullptr;
}

/// Dies of `signal` as if no handler had been installed.
void die_by_default(int signal) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(signal, &dfl, nullptr);
  // Pending until the handler returns (the signal is blocked in it); a fault re-runs
  // its instruction and raises it again anyway.
  raise(signal);
}

void on_crash(int signal, siginfo_t* info, void* context) {
  char text[1024];
  const int fd = report_fd.load();
  std::size_t used = 0;
  if (fd < 0) {
    for (const char* p = "admf: "; *p; ++p)
      text[used++] = *p;
  } else {
    text[used++] = 'C';
  }
  bool in_plugin = false;
  used += describe_crash(signal, text + used, sizeof text - used - 1, in_plugin);
  if (fd >= 0) {
    write_all(fd, text, used);
    die_by_default(signal);
    return;
  }
  text[used++] = '\n';
  write_all(STDERR_FILENO, text, used);
  if (in_plugin)
    _exit(plugin_crash_exit);
  const struct sigaction* before = previous_for(signal);
  if (before && (before->sa_flags & SA_SIGINFO) && before->sa_sigaction)
    return before->sa_sigaction(signal, info, context);
  if (before && !(before->sa_flags & SA_SIGINFO) && before->sa_handler != SIG_DFL
      && before->sa_handler != SIG_IGN)
    return before->sa_handler(signal);
  die_by_default(signal);
}

}  // namespace

void install_crash_handler() {
  static char main_stack[64 * 1024];
  stack_t ss{};
  ss.ss_sp = main_stack;
  ss.ss_size = sizeof main_stack;
  sigaltstack(&ss, nullptr);
  struct sigaction action {};
  action.sa_sigaction = on_crash;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; ++i)
    sigaction(crash_signals[i], &action, &previous[i]);
}

void report_crashes_to(int fd) { report_fd.store(fd); }

}  // namespace admf
