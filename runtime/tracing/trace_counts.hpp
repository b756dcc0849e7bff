// How many events of each type, and from each container, a trace holds.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

#include "runtime/tracing/trace_data.hpp"

namespace admf {

struct trace_counts {
  std::array<std::size_t, event_type_count> by_type{};  ///< indexed by event_type
  std::vector<std::size_t>
    by_source;  ///< indexed by container id; at least one per named container
};

trace_counts count_events(const trace_data& data);

}  // namespace admf
