// How a container's failure travels to its supervisor: as a CAF exit reason that
// carries the human-readable cause and its kind, so the command line can tell an
// I/O failure (exit 4) from any other (apps/cli/main.cpp).
#pragma once
#include <exception>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/sec.hpp>

#include "runtime/core/error.hpp"

namespace admf {

/// An exit reason carrying `why`.
inline caf::error failure(const std::string& why) {
  return caf::make_error(caf::sec::runtime_error, why);
}

/// An exit reason for a file that could not be written (an io_error), carrying `why`.
inline caf::error io_failure(const std::string& why) {
  return caf::error{1, caf::atom("admf_io"), caf::make_message(why)};
}

inline bool is_io_failure(const caf::error& reason) {
  return reason.category() == caf::atom("admf_io");
}

/// The cause carried by an exit reason made by failure(), else CAF's own rendering.
inline std::string failure_text(const caf::error& reason) {
  const auto& context = reason.context();
  if (context.match_elements<std::string>())
    return context.get_as<std::string>(0);
  return caf::to_string(reason);
}

/// For set_exception_handler: the exception as an exit reason of its kind.
inline caf::error failure_of(std::exception_ptr ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const io_error& e) {
    return io_failure(e.what());
  } catch (const std::exception& e) {
    return failure(e.what());
  } catch (...) {
    return failure("unknown exception");
  }
}

/// The exception matching an exit reason: io_error for an I/O failure, else
/// std::runtime_error prefixed with `context`.
[[noreturn]] inline void rethrow_failure(const caf::error& reason, const std::string& context) {
  if (is_io_failure(reason))
    throw io_error(failure_text(reason));
  throw std::runtime_error(context + failure_text(reason));
}

}  // namespace admf
