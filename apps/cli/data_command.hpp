// `admf data ...`: commands on data files. `data` is a group; each command declares
// itself on it in its own file (data_command.cpp: inspect).
#pragma once
#include <iosfwd>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace admf {

/// Declares the `data` group on `app`; its commands are added to the group returned.
CLI::App* add_data_group(CLI::App& app);

struct inspect_options {
  std::string file;
  std::string config;                 ///< --config: read the file as this config's source
  std::optional<std::size_t> source;  ///< --source: which of its sources (0-based)
  std::string format = "ohlcv";       ///< --format, without --config
};

/// `admf data inspect FILE [--config CONFIG [--source N]] [--format wide]`.
CLI::App* add_inspect_command(CLI::App& data, inspect_options& options);

/// Prints what the loader sees in the file: rows, time range, dialect, time format,
/// columns, spacing and gaps, duplicate and unsorted timestamps, bad bars and missing
/// rows with the policy's outcome. Returns 0, or 2 when a run could not load the file
/// (then the reason is on `err`, one line). Throws input_error for an unreadable file,
/// a bad config or a file it cannot read at all.
int run_inspect(const inspect_options& options, std::ostream& out, std::ostream& err);

}  // namespace admf
