// Analysis behind `admf trace`: merge the trace files of one run, then count events,
// link causal chains, measure hop latencies, select one correlation and export the
// result for Perfetto / chrome://tracing. Reports are returned as text; nothing here
// prints.
#pragma once
#include <array>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/tracing/trace_record.hpp"

namespace admf {

/// The records of one run, merged from the files of its traced containers.
struct trace_data {
  std::string run_id;
  std::vector<std::string> containers;  ///< names by container id
  std::vector<std::string> symbols;     ///< names by symbol id
  /// One record per event id, ordered by (logical time, source, sequence).
  std::vector<trace_record> records;
  std::size_t files = 0;
  std::size_t records_read = 0;         ///< before deduplication
  std::vector<std::string> warnings;    ///< e.g. damaged files; their earlier records are kept

  std::string container_name(container_id id) const;  ///< "#id" when the tables lack it
  std::string symbol_name(symbol_id id) const;
};

/// Builds a trace_data from headers and records arriving in any order.
class trace_merger {
public:
  void add_header(const trace_header& header);
  /// Each traced container records what it saw, so one event may come several times:
  /// keep the copy with the most timestamps filled (the first among equals).
  void add(trace_record record);
  void warn(std::string message);
  trace_data finish();

private:
  trace_data data_;
  std::unordered_map<std::uint64_t, std::size_t> index_;  // event id -> position in records
};

/// Reads and merges trace files. Throws input_error "PATH: ..." for a missing file or
/// one that is not a trace; damage becomes a warning and the records before it count.
trace_data load_traces(const std::vector<std::string>& paths);

// --- counts -----------------------------------------------------------------

struct trace_counts {
  std::array<std::size_t, event_type_count> by_type{};
  std::vector<std::size_t> by_source;  ///< indexed by container id
};

trace_counts count_events(const trace_data& data);

// --- causal chains ----------------------------------------------------------

/// SIGNAL -> ORDER or RISK_REJECT (caused by the signal) -> FILL or ORDER_CANCEL (caused
/// by the order). A signal that led to several orders makes one chain per order.
/// Pointers into the trace_data the chains were linked from.
struct causal_chain {
  const trace_record* signal = nullptr;
  const trace_record* decision = nullptr;  ///< ORDER or RISK_REJECT; null: no order yet
  const trace_record* outcome = nullptr;   ///< FILL or ORDER_CANCEL; null: still open
  /// A rejected signal ends at the reject; an order ends at its fill or cancel.
  bool complete() const;
};

std::vector<causal_chain> link_chains(const trace_data& data);

// --- latency ----------------------------------------------------------------

enum class hop_kind { emitted_to_received, received_to_processed, created_to_processed };
constexpr std::size_t hop_kind_count = 3;

std::string_view to_string(hop_kind hop);
/// The hop's wall-clock latency, or nullopt when either end was not recorded. A
/// negative span (the wall clock stepped back) counts as 0.
std::optional<std::int64_t> hop_latency(const hop_times& times, hop_kind hop);

struct latency_stats {
  std::size_t count = 0;
  std::int64_t p50 = 0, p90 = 0, p99 = 0, max = 0;  ///< ns, nearest-rank percentiles
  /// buckets[k]: samples in [2^k, 2^(k+1)) ns; bucket 0 also holds 0 ns.
  std::vector<std::size_t> buckets;
};

latency_stats summarize_latencies(std::vector<std::int64_t> samples_ns);

struct latency_report {
  std::array<latency_stats, hop_kind_count> all;
  std::array<std::array<latency_stats, hop_kind_count>, event_type_count> by_type;
};

latency_report measure_latencies(const trace_data& data);

// --- selection and text -----------------------------------------------------

/// "0x1f" or "1f" (hex), "31" (decimal: digits only).
std::optional<std::uint64_t> parse_event_id(std::string_view text);
std::string format_event_id(std::uint64_t id);  ///< "0x1f"
std::string format_duration(std::int64_t ns);   ///< "850ns", "12.3us", "4.56ms", "1.20s"

/// The records whose correlation is `correlation`, names kept.
trace_data select_correlation(const trace_data& data, std::uint64_t correlation);

/// E.g. "BUY 68 SPX @ 1458.47" for a fill.
std::string summarize_payload(const trace_data& data, const event& ev);

std::string format_counts(const trace_data& data, const trace_counts& counts);
/// Summary line plus the first `limit` chains.
std::string format_chains(const trace_data& data, const std::vector<causal_chain>& chains,
                          std::size_t limit);
std::string format_latencies(const latency_report& report);
/// One line per record: time, type, source, id, causation, payload summary.
std::string format_events(const trace_data& data);
/// Counts, chains and latencies: what `admf trace` prints.
std::string trace_report(const trace_data& data, std::size_t chain_limit);

// --- Chrome trace-event export ------------------------------------------------

/// {"traceEvents":[...],"displayTimeUnit":"ns"}: a complete slice per event on its
/// source container's thread, thread-name metadata, and causation as flow arrows.
std::string chrome_trace_json(const trace_data& data);
/// Writes `text` to `path` through a temporary file and a rename, so a reader never
/// sees half a file. Throws input_error "PATH: ..." when it cannot.
void write_file_atomically(const std::string& path, const std::string& text);

// --- the `admf trace` command, minus its argument parsing ----------------------

struct trace_options {
  std::vector<std::string> files;
  std::size_t chains = 20;                 ///< causal chains printed in full
  std::optional<std::string> correlation;  ///< as typed: hex or decimal
  std::string chrome;                      ///< Chrome JSON output path; empty: none
};

/// The report (or, with a correlation, that correlation's events) goes to `out`,
/// warnings and errors to `err`. Returns the exit code: 0, or 2 for bad input
/// (missing or non-trace file, malformed or unmatched id).
int run_trace(const trace_options& options, std::ostream& out, std::ostream& err);

} // namespace admf
