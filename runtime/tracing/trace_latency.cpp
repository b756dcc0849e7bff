#include "runtime/tracing/trace_latency.hpp"

#include <algorithm>

namespace admf {

std::string_view to_string(hop_kind hop) {
  switch (hop) {
    case hop_kind::emitted_to_received:
      return "emitted->received";
    case hop_kind::received_to_processed:
      return "received->processed";
    case hop_kind::created_to_processed:
      return "created->processed";
  }
  return "unknown";
}

std::optional<std::int64_t> hop_latency(const hop_times& t, hop_kind hop) {
  std::int64_t from = 0, to = 0;
  switch (hop) {
    case hop_kind::emitted_to_received:
      from = t.emitted;
      to = t.received;
      break;
    case hop_kind::received_to_processed:
      from = t.received;
      to = t.processed;
      break;
    case hop_kind::created_to_processed:
      from = t.created;
      to = t.processed;
      break;
  }
  if (from == 0 || to == 0)
    return std::nullopt;
  const auto ns = elapsed(from, to);
  return ns ? std::optional<std::int64_t>(std::max<std::int64_t>(0, *ns)) : std::nullopt;
}

std::optional<std::int64_t> elapsed(std::int64_t from, std::int64_t to) {
  std::int64_t ns = 0;
  if (__builtin_sub_overflow(to, from, &ns))
    return std::nullopt;
  return ns;
}

namespace {

std::size_t log2_bucket(std::int64_t ns) {
  std::size_t k = 0;
  for (; ns >= 2; ns >>= 1)
    ++k;
  return k;
}

/// Nearest rank: the smallest sample with at least p% of the samples at or below it.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, std::size_t p) {
  const std::size_t rank = (p * sorted.size() + 99) / 100;
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

}  // namespace

latency_stats summarize_latencies(std::vector<std::int64_t> samples) {
  latency_stats s;
  if (samples.empty())
    return s;
  std::sort(samples.begin(), samples.end());
  s.count = samples.size();
  s.p50 = percentile(samples, 50);
  s.p90 = percentile(samples, 90);
  s.p99 = percentile(samples, 99);
  s.max = samples.back();
  s.buckets.resize(log2_bucket(s.max) + 1);
  for (auto v : samples)
    ++s.buckets[log2_bucket(v)];
  return s;
}

latency_report measure_latencies(const trace_data& data) {
  using samples = std::vector<std::int64_t>;
  std::array<samples, hop_kind_count> all;
  std::array<std::array<samples, hop_kind_count>, event_type_count> by_type;
  for (const auto& r : data.records) {
    for (std::size_t h = 0; h < hop_kind_count; ++h) {
      if (const auto ns = hop_latency(r.times, static_cast<hop_kind>(h))) {
        all[h].push_back(*ns);
        by_type[static_cast<std::size_t>(r.ev.header.type)][h].push_back(*ns);
      }
    }
  }
  latency_report report;
  for (std::size_t h = 0; h < hop_kind_count; ++h) {
    report.all[h] = summarize_latencies(std::move(all[h]));
    for (std::size_t t = 0; t < event_type_count; ++t)
      report.by_type[t][h] = summarize_latencies(std::move(by_type[t][h]));
  }
  return report;
}

}  // namespace admf
