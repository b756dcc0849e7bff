// Export for Perfetto / chrome://tracing (the Chrome trace-event JSON format).
#pragma once
#include <string>

#include "runtime/tracing/trace_data.hpp"

namespace admf {

/// {"traceEvents":[...],"displayTimeUnit":"ns"}: a complete slice ("ph":"X", ts and
/// dur in µs from the earliest wall time) per event on its source container's thread,
/// thread-name metadata, and causation as flow arrows ("s"/"f" pairs).
std::string chrome_trace_json(const trace_data& data);

}  // namespace admf
