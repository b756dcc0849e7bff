#include "runtime/plugin/plugin_call.hpp"

#include <signal.h>
#include <string.h>

#include <filesystem>
#include <memory>

#include "runtime/core/time.hpp"

namespace admf {

namespace {

struct current_call {
  const plugin_site* site = nullptr;
  std::int64_t bar_time = plugin_call::no_bar;
  const char* symbol = nullptr;
  std::size_t more = 0;
};

// Plain data: a signal handler reads it without a constructor having to run.
thread_local current_call current;

/// This thread's alternate signal stack, taken down before the thread ends so the
/// kernel never points at freed memory.
class alt_stack {
public:
  alt_stack() : memory_(new char[size]) {
    stack_t ss{};
    ss.ss_sp = memory_.get();
    ss.ss_size = size;
    installed_ = sigaltstack(&ss, nullptr) == 0;
  }
  ~alt_stack() {
    if (!installed_)
      return;
    stack_t ss{};
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, nullptr);
  }

private:
  static constexpr std::size_t size = 64 * 1024;
  std::unique_ptr<char[]> memory_;
  bool installed_ = false;
};

/// Appends to a fixed buffer, dropping what does not fit.
struct line {
  char* out;
  std::size_t size, used = 0;
  void add(const char* text, std::size_t n) {
    for (std::size_t i = 0; i < n && used < size; ++i)
      out[used++] = text[i];
  }
  void add(const char* text) { add(text, strlen(text)); }
  void add(std::size_t n) {
    char digits[20];
    std::size_t k = 0;
    do
      digits[k++] = static_cast<char>('0' + n % 10);
    while ((n /= 10) && k < sizeof digits);
    while (k)
      add(&digits[--k], 1);
  }
};

}  // namespace

std::string describe_plugin(const std::string& name, const std::string& library) {
  if (library.empty())
    return "plugin '" + name + "'";
  return "plugin '" + name + "' (" + std::filesystem::path(library).filename().string() + ")";
}

plugin_call::plugin_call(const plugin_site& site, std::int64_t bar_time, const char* symbol,
                         std::size_t more)
  : site_(current.site), bar_time_(current.bar_time), symbol_(current.symbol),
    more_(current.more) {
  thread_local alt_stack stack;  // constructed on this thread's first plugin call
  current = {&site, bar_time, symbol, more};
}

plugin_call::~plugin_call() { current = {site_, bar_time_, symbol_, more_}; }

const char* signal_name(int signal, char (&scratch)[16]) {
  if (const char* abbrev = sigabbrev_np(signal)) {
    line l{scratch, sizeof scratch - 1};
    l.add("SIG");
    l.add(abbrev);
    scratch[l.used] = '\0';
    return scratch;
  }
  line l{scratch, sizeof scratch - 1};
  l.add("signal ");
  l.add(static_cast<std::size_t>(signal));
  scratch[l.used] = '\0';
  return scratch;
}

std::size_t describe_crash(int signal, char* out, std::size_t size, bool& in_plugin) {
  line l{out, size};
  char scratch[16];
  const current_call call = current;
  in_plugin = call.site != nullptr;
  if (!in_plugin) {
    l.add("crashed with ");
    l.add(signal_name(signal, scratch));
    l.add(" (not in a plugin)");
    return l.used;
  }
  l.add(call.site->plugin.c_str());
  l.add(" crashed with ");
  l.add(signal_name(signal, scratch));
  l.add(" in container ");
  l.add(call.site->container.c_str());
  if (call.bar_time == plugin_call::no_bar) {
    l.add(" at start");
    return l.used;
  }
  char time[19];
  l.add(" at bar ");
  l.add(time, format_timestamp(call.bar_time, time));
  if (call.symbol) {
    l.add(" (");
    l.add(call.symbol);
    if (call.more) {
      l.add(" +");
      l.add(call.more);
      l.add(" more");
    }
    l.add(")");
  }
  return l.used;
}

}  // namespace admf
