#include "runtime/tracing/trace_counts.hpp"

namespace admf {

trace_counts count_events(const trace_data& data) {
  trace_counts counts;
  for (std::size_t c = 0; c < data.containers.size(); ++c)
    counts.by_source[static_cast<container_id>(c)] = 0;
  for (const auto& r : data.records) {
    ++counts.by_type[static_cast<std::size_t>(r.ev.header.type)];
    ++counts.by_source[r.ev.header.source];
  }
  return counts;
}

}  // namespace admf
