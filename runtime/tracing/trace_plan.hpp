// Which containers are traced, and how: the config's trace settings resolved
// against the run's container names.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "runtime/tracing/trace_settings.hpp"

namespace admf {

/// Glob match with `*` (any run of characters, `/` included).
bool matches_pattern(const std::string& pattern, const std::string& name);

/// The rule for each container (nullopt: not traced), by container index. Throws
/// input_error naming the pattern's location when a pattern matches no container.
std::vector<std::optional<trace_rule>> resolve_trace_rules(const trace_settings& settings,
                                                           const std::vector<std::string>& names);

}  // namespace admf
