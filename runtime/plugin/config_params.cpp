#include "runtime/plugin/config_params.hpp"

#include <cstring>

#include "runtime/core/error.hpp"

namespace admf {

std::string config_params::text(const char* key) const {
  auto it = p_.values.find(key);
  return it == p_.values.end() ? std::string{} : it->second;
}

void config_params::expect_only(const char* const* known) const {
  for (const auto& [key, value] : p_.values) {
    bool listed = false;
    for (auto k = known; *k && !listed; ++k)
      listed = key == *k;
    if (!listed)
      throw input_error(p_.location(key) + ": unknown parameter");
  }
}

void config_params::fail(const char* key, const std::string& message) const {
  throw input_error(p_.location(key) + ": " + message);
}

} // namespace admf
