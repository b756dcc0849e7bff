// One traced event: the event itself plus where and when it travelled.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/events/event.hpp"

namespace admf {

/// Wall-clock timestamps of one event's hop, ns since the epoch (0 = not recorded).
struct hop_times {
  std::int64_t created = 0;    ///< stamped by its source
  std::int64_t emitted = 0;    ///< its batch left the source
  std::int64_t received = 0;   ///< its batch reached the observing container
  std::int64_t processed = 0;  ///< the observing container had handled it
};

struct trace_record {
  event ev;
  hop_times times;
  std::string partition_key;  ///< what orders the event within its stream, e.g. "portfolio_sma/SPX"
  container_id observed_at = 0;
};

/// The trace file format this build writes; it reads this one and 1 (no end record).
constexpr std::uint32_t trace_format_version = 2;

/// The first message of a trace file: names for the ids in the records.
struct trace_header {
  std::uint32_t format_version = trace_format_version;
  std::string run_id;
  std::string container;  ///< whose tracer wrote the file
  std::vector<std::string> containers;
  std::vector<std::string> symbols;
};

/// The last message of a trace file (format 2): how its run ended. A file without it
/// was cut short.
struct trace_end {
  bool interrupted = false;  ///< stopped early by a signal; else the run ended
  std::string reason;        ///< e.g. "SIGINT" when interrupted
  std::uint64_t records = 0;  ///< records before it
};

}  // namespace admf
