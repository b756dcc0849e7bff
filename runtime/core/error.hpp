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

/// Quotes user text for a message; errors are one line, so newlines are escaped.
inline std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out + "'";
}

} // namespace admf
