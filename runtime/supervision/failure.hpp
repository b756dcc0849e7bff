// How a container's failure travels to its supervisor: as a CAF exit reason that
// carries the human-readable cause.
#pragma once
#include <string>

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/sec.hpp>

namespace admf {

/// An exit reason carrying `why`.
inline caf::error failure(const std::string& why) {
  return caf::make_error(caf::sec::runtime_error, why);
}

/// The cause carried by an exit reason made by failure(), else CAF's own rendering.
inline std::string failure_text(const caf::error& reason) {
  const auto& context = reason.context();
  if (context.match_elements<std::string>())
    return context.get_as<std::string>(0);
  return caf::to_string(reason);
}

} // namespace admf
