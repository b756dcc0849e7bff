// Hop latencies of traced events: wall-clock spans between the timestamps a record
// carries, summarized as nearest-rank percentiles and log2 histograms.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "runtime/tracing/trace_data.hpp"

namespace admf {

enum class hop_kind { emitted_to_received, received_to_processed, created_to_processed };
constexpr std::size_t hop_kind_count = 3;

std::string_view to_string(hop_kind hop);  ///< e.g. "emitted->received"
/// The hop's wall-clock latency in ns, or nullopt when either end was not recorded
/// (is 0) or the span does not fit in int64. A negative span (the wall clock stepped
/// back) counts as 0.
std::optional<std::int64_t> hop_latency(const hop_times& times, hop_kind hop);

/// to - from in ns, or nullopt when it does not fit in int64 (wall times read from a
/// damaged or hostile trace file can be anything; the subtraction must not overflow).
std::optional<std::int64_t> elapsed(std::int64_t from, std::int64_t to);

struct latency_stats {
  std::size_t count = 0;
  std::int64_t p50 = 0, p90 = 0, p99 = 0, max = 0;  ///< ns, nearest-rank percentiles
  /// buckets[k]: samples in [2^k, 2^(k+1)) ns; bucket 0 also holds 0 ns. As many
  /// buckets as the max needs; empty without samples.
  std::vector<std::size_t> buckets;
};

latency_stats summarize_latencies(std::vector<std::int64_t> samples_ns);

struct latency_report {
  std::array<latency_stats, hop_kind_count> all;  ///< indexed by hop_kind
  /// [event_type][hop_kind]
  std::array<std::array<latency_stats, hop_kind_count>, event_type_count> by_type;
};

latency_report measure_latencies(const trace_data& data);

}  // namespace admf
