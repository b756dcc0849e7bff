// How many events of each type, and from each container, a trace holds.
#pragma once
#include <array>
#include <cstddef>
#include <map>

#include "runtime/tracing/trace_data.hpp"

namespace admf {

struct trace_counts {
  std::array<std::size_t, event_type_count> by_type{};  ///< indexed by event_type
  /// By container id: every named container (0 if silent) and every id a record names.
  /// A map, not a vector indexed by id: an id read from a file (0xFFFFFFFF in a damaged
  /// or hostile one) must not size anything.
  std::map<container_id, std::size_t> by_source;
};

trace_counts count_events(const trace_data& data);

}  // namespace admf
