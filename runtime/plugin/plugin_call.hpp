// Which plugin code a thread is running, kept where a crash signal handler can read
// it: a plugin that segfaults or aborts is then named with its container and bar
// instead of taking the process down without a word (runtime/plugin/crash_handler.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace admf {

/// One strategy container's plugin, described once when the container starts so a
/// crash needs no formatting beyond the bar.
struct plugin_site {
  std::string plugin;     ///< "plugin 'NAME' (FILE)"; FILE is the library's file name
  std::string container;  ///< "PORTFOLIO/strategy"
};

/// "plugin 'NAME' (FILE)": `library` is the loaded library's path; "plugin 'NAME'"
/// when it is "" (not loaded yet, or a strategy registered in process).
std::string describe_plugin(const std::string& name, const std::string& library);

/// Marks the current thread as running plugin code of `site` for the guard's lifetime
/// (guards nest: the outer one is back when an inner one ends). `bar_time` is the
/// bar being handled (ns since the epoch, or no_bar for creation and destruction),
/// `symbol` its symbol's name and `more` how many other symbols share the call. Every
/// pointer must outlive the guard. Costs a few thread-local stores: it wraps every
/// on_bars call. The first guard on a thread gives it an alternate signal stack, so
/// a plugin that overflows its stack is still reported.
class plugin_call {
public:
  static constexpr std::int64_t no_bar = INT64_MIN;

  plugin_call(const plugin_site& site, std::int64_t bar_time, const char* symbol,
              std::size_t more);
  ~plugin_call();
  plugin_call(const plugin_call&) = delete;
  plugin_call& operator=(const plugin_call&) = delete;

private:
  const plugin_site* site_;
  std::int64_t bar_time_;
  const char* symbol_;
  std::size_t more_;
};

/// Writes "plugin 'NAME' (FILE) crashed with SIGNAL in container C at bar T (SYMBOL)"
/// (or "... at start", "(SYMBOL +N more)") into `out` when this thread is inside a
/// plugin_call, "crashed with SIGNAL (not in a plugin)" otherwise; returns the length
/// (at most `size`, never terminated) and sets `in_plugin`. Async-signal-safe.
std::size_t describe_crash(int signal, char* out, std::size_t size, bool& in_plugin);

/// "SIGSEGV" for SIGSEGV, "signal 77" for a number without a name. Async-signal-safe;
/// the text is static.
const char* signal_name(int signal, char (&scratch)[16]);

}  // namespace admf
