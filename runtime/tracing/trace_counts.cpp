#include "runtime/tracing/trace_counts.hpp"

namespace admf {

trace_counts count_events(const trace_data& data) {
  trace_counts counts;
  counts.by_source.resize(data.containers.size());
  for (const auto& r : data.records) {
    ++counts.by_type[static_cast<std::size_t>(r.ev.header.type)];
    const auto source = r.ev.header.source;
    if (source >= counts.by_source.size())
      counts.by_source.resize(source + 1);
    ++counts.by_source[source];
  }
  return counts;
}

}  // namespace admf
