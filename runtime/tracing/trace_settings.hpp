// What tracing records and where: the settings of a run's tracers, as plain data.
// The config reads them from YAML (runtime/config/read_tracing.cpp); tracing knows
// nothing of YAML or of the config around them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace admf {

/// Which events a tracer keeps in memory, and for how long.
enum class retention_policy {
  trade_complete,  ///< a trade's events while it is open; pruned when it closes; at most
                   ///< max_events (past it the oldest open trades are dropped whole)
  sliding_window,  ///< the last max_events events
  minimal,         ///< POSITION_OPEN events of open positions only
  full,            ///< everything (memory: up to max_events; disk: all, streamed)
};

enum class storage_backend { memory, disk };

/// Tracing of one container: what is recorded and where.
struct trace_rule {
  bool enabled = true;
  std::uint32_t events = ~0u;  ///< bit (1 << event_type) per traced type
  retention_policy retention = retention_policy::trade_complete;
  std::size_t max_events = 10000;
  storage_backend storage = storage_backend::memory;
  bool compress = false;  ///< disk: zstd
};

struct trace_pattern {
  std::string pattern;   ///< container name with `*` wildcards
  std::string location;  ///< "file:line: trace_settings.container_settings.<pattern>"
  trace_rule rule;
};

/// Tracing for the run: a default rule plus per-container rules by pattern (the most
/// specific matching pattern wins: an exact name, else the most literal characters).
struct trace_settings {
  bool enabled = false;  ///< false: no tracer anywhere (the fast path)
  trace_rule defaults;
  std::vector<trace_pattern> containers;
  std::uint32_t console_events = 0;  ///< types a console observer prints live
};

/// A preset: none, minimal, metrics, normal or debug. Throws input_error naming
/// `where` (e.g. "--trace", or the config's "file:line: trace_settings.level").
trace_settings trace_level(const std::string& level, const std::string& where);

}  // namespace admf
