// The errors admf reports by kind, each as a one-line message ready to print as is;
// the command line gives each kind its own exit code (apps/cli/main.cpp).
#pragma once
#include <stdexcept>
#include <string>

namespace admf {

/// Errors a user can fix: bad config, bad data, bad plugin. The message names the
/// file and the line or key.
class input_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A file that could not be written although the input was fine: disk full, file
/// too large, unwritable directory, failed flush, close or rename. The message is
/// "FILE: what failed: OS error".
class io_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A run or sweep stopped early by SIGINT or SIGTERM (runtime/core/stop_signal.hpp),
/// cleanly: nothing published as complete. The message says what was left; the
/// command line exits 128 + signal().
class interrupted : public std::runtime_error {
public:
  interrupted(int signo, const std::string& what) : std::runtime_error(what), signal_(signo) {}
  int signal() const noexcept { return signal_; }

private:
  int signal_;
};

/// Quotes user text for a message; errors are one line, so newlines are escaped.
inline std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out + "'";
}

} // namespace admf
