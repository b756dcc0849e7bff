// Errors a user can fix: bad config, bad data, bad plugin. The message is one line
// that names the file and the line or key, ready to print as is.
#pragma once
#include <stdexcept>
#include <string>

namespace admf {

class input_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace admf
