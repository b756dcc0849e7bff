// The records of one run as `admf trace` sees them: merged from the files of its
// traced containers, one record per event, in logical order.
#pragma once
#include <cstdint>
#include <string>
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
  std::size_t records_read = 0;       ///< before deduplication
  std::vector<std::string> warnings;  ///< e.g. damaged files; their earlier records are kept

  std::string container_name(container_id id) const;  ///< "#id" when the tables lack it
  std::string symbol_name(symbol_id id) const;
};

/// Builds a trace_data from headers and records arriving in any order.
class trace_merger {
public:
  /// Counts a file; the first run id wins, and names fill only slots still empty.
  void add_header(const trace_header& header);
  /// Each traced container records what it saw, so one event may come several times:
  /// keep the copy with the most timestamps filled (the first among equals).
  void add(trace_record record);
  void warn(std::string message);
  /// Sorts the records into logical order and leaves the merger empty.
  trace_data finish();

private:
  trace_data data_;
  std::unordered_map<std::uint64_t, std::size_t> index_;  // event id -> position in records
};

/// Reads and merges trace files. Throws input_error "PATH: ..." for a missing file or
/// one that is not a trace, and when every file is empty. Warnings, the records read
/// still counting: damage, a cut file (no end record), an interrupted run's file, an
/// empty (0-byte) file among others.
trace_data load_traces(const std::vector<std::string>& paths);

/// The records whose correlation is `correlation`, names kept; records_read counts
/// only those.
trace_data select_correlation(const trace_data& data, std::uint64_t correlation);

}  // namespace admf
