// The text `admf trace` prints: counts, causal chains, latency tables and histograms,
// or one correlation's events. Returned as strings; nothing here prints.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/tracing/causal_chains.hpp"
#include "runtime/tracing/trace_counts.hpp"
#include "runtime/tracing/trace_data.hpp"
#include "runtime/tracing/trace_latency.hpp"

namespace admf {

/// "850ns", "12.3us", "4.56ms", "1.20s": the unit switches at 1000 of the smaller one.
std::string format_duration(std::int64_t ns);

std::string format_counts(const trace_data& data, const trace_counts& counts);
/// Summary line plus the first `limit` chains.
std::string format_chains(const trace_data& data, const std::vector<causal_chain>& chains,
                          std::size_t limit);
std::string format_latencies(const latency_report& report);
/// One line per record: time, type, source, id, causation, payload summary.
std::string format_events(const trace_data& data);
/// Counts, chains and latencies: what `admf trace` prints.
std::string trace_report(const trace_data& data, std::size_t chain_limit);

}  // namespace admf
